/* server.js: seed 000's CORS configuration as an Express + cors server,
 * for capturing.
 *
 * The Express equivalent of seed 000's Flask setup, written with the
 * seed's own Express snippet ("Express.js vs Flask CORS") and its key
 * mapping (origins -> origin, allow_headers -> allowedHeaders, ...):
 * ProductionConfig's values in one global app.use(cors(...)), the
 * route-specific rules as route-level cors() middleware (the cors
 * README's "Enable CORS for a Single Route"), and, mounted under /regex,
 * a sub-app with the seed's regex origins example as a RegExp.
 *
 * Routes (under / and under /regex):
 *   /api/users/1   GET, PUT, DELETE: 200 JSON with X-Request-ID
 *   /api/private   GET: 401 JSON (a handled refusal)
 *   /api/crash     GET: next(err) to Express's default error handler (500)
 *   anything else  Express's own 404 ("Cannot GET ...")
 * Usage: node server.js PORT (or PORT in the environment); listens on
 * 127.0.0.1 only. Run with NODE_ENV=production so that the default error
 * handler does not print the stack (and this file's path) in the body. */
'use strict';

const express = require('express');
const cors = require('cors');

/* ProductionConfig (seed 000 "In config.py"), in Express's spelling */
const corsOptions = {
  origin: ['https://myapp.com', 'https://www.myapp.com'],
  methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
  allowedHeaders: ['Content-Type', 'Authorization', 'X-Requested-With'],
  exposedHeaders: ['X-Request-ID'],
  credentials: true,
  maxAge: 86400,
};

function addRoutes(app) {
  app.all('/api/users/1', (req, res, next) => {
    if (!['GET', 'PUT', 'DELETE'].includes(req.method)) return next();
    res.set('X-Request-ID', 'req-1');
    res.json({ id: 1, name: 'Ada' });
  });
  app.get('/api/private', (req, res) => {
    res.status(401).json({ error: 'unauthorized' });
  });
  app.get('/api/crash', (req, res, next) => {
    next(new Error('boom'));
  });
}

/* CORS(app, origins=r'https://.*\.myapp\.com') with the rest of the config */
const regexApp = express();
regexApp.use(cors({ ...corsOptions, origin: /https:\/\/.*\.myapp\.com/ }));
addRoutes(regexApp);

const app = express();
app.use('/regex', regexApp);
app.use(cors(corsOptions));
addRoutes(app);

/* Route-specific CORS (seed 000 "Route-Specific CORS") */
app.get('/public-api', cors({ origin: '*' }), (req, res) => {
  res.json({ message: 'Anyone can access this' });
});
app.get('/admin/data', cors({ origin: ['https://admin.myapp.com'] }), (req, res) => {
  res.json({ secret: 'data' });
});

const port = Number(process.argv[2] || process.env.PORT);
if (!Number.isInteger(port) || port <= 0) {
  console.error("server.js: missing or bad port '" + (process.argv[2] || process.env.PORT) + "'");
  process.exit(2);
}
app.listen(port, '127.0.0.1', (err) => {
  if (err) {
    console.error('server.js: ' + err.message);
    process.exit(1);
  }
});
