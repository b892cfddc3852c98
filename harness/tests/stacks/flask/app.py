"""app.py: seed 000's Flask-CORS setup as a live server for capturing.

Configured as /work/shared/seeds/000 ("Our CORS Configuration") configures
it: ProductionConfig's CORS_* values passed to CORS(app, ...) in
create_app(), the route-specific @cross_origin rules ("/public-api" with
origins='*', "/admin/data" with origins=['https://admin.myapp.com']), and,
mounted under /regex, the same app built with the seed's regex origins
example CORS(app, origins=r'https://.*\\.myapp\\.com') plus the seed's
"Handle CORS Errors Gracefully" errorhandler(Exception). The seed's
OpenAPI(__name__, info=info) is flask-openapi3's Flask subclass; plain
Flask stands in for it (the CORS code paths are the same).

Routes (under / and under /regex):
  /api/users/1   GET, PUT, DELETE: 200 JSON with X-Request-ID
  /api/private   GET: 401 JSON (a handled refusal)
  /api/crash     GET: raises, so an unhandled 500 (Flask's HTML page)
  anything else  Flask's own 404 page
Usage: python3 -B app.py PORT (or PORT in the environment); listens on
127.0.0.1 only.
"""

import os
import sys

from flask import Flask, jsonify
from flask_cors import CORS, cross_origin
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.serving import run_simple


class Config:
    # CORS Settings (seed 000, "In config.py")
    CORS_ORIGINS = [
        'http://localhost:3000',     # React dev server
        'http://localhost:5500',     # Flask dev server
        'http://127.0.0.1:3000',
    ]
    CORS_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']
    CORS_ALLOW_HEADERS = ['Content-Type', 'Authorization', 'X-Requested-With']
    CORS_EXPOSE_HEADERS = ['X-Request-ID']
    CORS_SUPPORTS_CREDENTIALS = True
    CORS_MAX_AGE = 86400  # Cache preflight for 24 hours


class ProductionConfig(Config):
    # Stricter CORS in production - only specific origins
    CORS_ORIGINS = [
        'https://myapp.com',
        'https://www.myapp.com',
    ]


def create_app(config_class=ProductionConfig, origins=None, graceful=False):
    app = Flask(__name__)
    app.config.from_object(config_class)

    # Configure CORS using config values (seed 000, "In app/__init__.py");
    # origins replaced by the seed's regex example for the /regex app.
    CORS(
        app,
        origins=config_class.CORS_ORIGINS if origins is None else origins,
        methods=config_class.CORS_METHODS,
        allow_headers=config_class.CORS_ALLOW_HEADERS,
        expose_headers=config_class.CORS_EXPOSE_HEADERS,
        supports_credentials=config_class.CORS_SUPPORTS_CREDENTIALS,
        max_age=config_class.CORS_MAX_AGE,
    )

    @app.route('/api/users/1', methods=['GET', 'PUT', 'DELETE'])
    def user():
        resp = jsonify({'id': 1, 'name': 'Ada'})
        resp.headers['X-Request-ID'] = 'req-1'
        return resp

    @app.route('/api/private')
    def private():
        return jsonify({'error': 'unauthorized'}), 401

    @app.route('/api/crash')
    def crash():
        raise RuntimeError('boom')

    # Route-specific CORS (seed 000, "Route-Specific CORS")
    @app.route('/public-api')
    @cross_origin(origins='*')
    def public_api():
        return {'message': 'Anyone can access this'}

    @app.route('/admin/data')
    @cross_origin(origins=['https://admin.myapp.com'])
    def admin_data():
        return {'secret': 'data'}

    if graceful:
        # seed 000, "5. Handle CORS Errors Gracefully"
        @app.errorhandler(Exception)
        def handle_error(error):
            # CORS headers are still added by Flask-CORS even for error responses
            return jsonify({'error': str(error)}), 500

    return app


def main():
    port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ['PORT'])
    app = create_app()
    regex_app = create_app(origins=r'https://.*\.myapp\.com', graceful=True)
    wsgi = DispatcherMiddleware(app, {'/regex': regex_app})
    run_simple('127.0.0.1', port, wsgi, threaded=True)


if __name__ == '__main__':
    main()
