"""app.py: seed 002's CORSMiddleware setup as a live Starlette server, for capturing.

Configured as /work/shared/seeds/002 ("CORS Middleware Configuration")
configures it: the origins come from the CORS_ORIGINS environment
variable, a JSON list (as pydantic settings read it), defaulting to
config.py's six development origins; allow_credentials is
'"*" not in origins'; explicit methods; allow_headers=["*"]. The seed's
app is FastAPI; FastAPI's CORSMiddleware is Starlette's, so a plain
Starlette app carries it here. The seed's SecurityHeadersMiddleware is left
out: it does not touch CORS.

CORS_ORIGINS='["*"]' gives the seed's "Development with wildcard
(disables credentials)" variant (the starlette-wildcard stack).

Routes:
  /api/users/1   GET, PUT, DELETE: 200 JSON with X-Request-ID
  /api/private   GET: 401 JSON (a handled refusal: HTTPException)
  /api/crash     GET: raises, so an unhandled 500 from ServerErrorMiddleware
  anything else  Starlette's own 404 ("Not Found")
Usage: python3 -B app.py PORT (or PORT in the environment); listens on
127.0.0.1 only.
"""

import json
import os
import sys

import uvicorn
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse
from starlette.routing import Route

# backend/core/config.py: cors_origins default
DEFAULT_CORS_ORIGINS = [
    "http://localhost:3000",
    "http://localhost:5173",
    "http://127.0.0.1:3000",
    "http://127.0.0.1:5173",
    "http://0.0.0.0:3000",
    "http://0.0.0.0:5173",
]


def cors_origins():
    raw = os.environ.get("CORS_ORIGINS")
    if raw is None:
        return list(DEFAULT_CORS_ORIGINS)
    value = json.loads(raw)
    if not isinstance(value, list) or not all(isinstance(o, str) for o in value):
        raise SystemExit("app.py: CORS_ORIGINS must be a JSON list of strings")
    return value


async def user(request):
    return JSONResponse({"id": 1, "name": "Ada"}, headers={"X-Request-ID": "req-1"})


async def private(request):
    raise HTTPException(status_code=401, detail="Not authenticated")


async def crash(request):
    raise RuntimeError("boom")


def create_app():
    # backend/main.py:1127-1139
    _cors_origins = cors_origins()
    _allow_credentials = "*" not in _cors_origins
    return Starlette(
        routes=[
            Route("/api/users/1", user, methods=["GET", "PUT", "DELETE"]),
            Route("/api/private", private),
            Route("/api/crash", crash),
        ],
        middleware=[
            Middleware(
                CORSMiddleware,
                allow_origins=_cors_origins,
                allow_credentials=_allow_credentials,
                allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
                allow_headers=["*"],
            )
        ],
    )


def main():
    port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ["PORT"])
    uvicorn.run(create_app(), host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
