"""app.py: seed 003's FastAPI configure_cors() as a live server, for capturing.

Configured as /work/shared/seeds/003 configures it: configure_cors() reads
FRONTEND_ORIGINS (CSV) and ALLOW_ORIGINS_REGEX from the environment,
falling back to the four localhost defaults when both are empty, and adds
CORSMiddleware last (outermost of the user middleware) with the seed's
methods, main.py's allow_headers list, the expose list and max_age=3600.
The seed elides the ends of two lists with "...": the expose list is the
union of the names it shows (code and curl output), and
X-RateLimit-Remaining / X-RateLimit-Reset complete it. Its exception
handlers answer {"error": true, "code": N, "message": ...}
("Invalid token." for a 401), as the seed's curl output shows. The other
middleware of the seed (security headers, admin IP allowlist, GZip, rate
limiter) do not touch CORS and are left out.

start.sh sets the seed's .env example:
  FRONTEND_ORIGINS="http://localhost:3000,https://moviesnow.com"
  ALLOW_ORIGINS_REGEX="^https://.*\\.moviesnow\\.com$"

Routes:
  /api/v1/users/me/profiles  GET: 200 with "Authorization: Bearer ...", else 401
  /api/users/1               GET, PUT, DELETE: 200 JSON with X-Request-ID
  /api/private               GET: 401 (the seed's "Invalid token.")
  /api/crash                 GET: raises, so an unhandled 500 (ServerErrorMiddleware)
  anything else              404 through the seed's HTTPException handler
Usage: python3 -B app.py PORT (or PORT in the environment); listens on
127.0.0.1 only.
"""

import os
import sys

import uvicorn
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException


def configure_cors(app, *, allow_credentials: bool = True, allow_headers=None):
    # Backend/app/security_headers.py#L330-388
    origins_csv = os.getenv("FRONTEND_ORIGINS", "").strip()
    origins = [o.strip() for o in origins_csv.split(",") if o.strip()]
    origins_regex = os.getenv("ALLOW_ORIGINS_REGEX", "").strip() or None

    if not origins and not origins_regex:
        # localhost-friendly defaults in dev
        origins = [
            "http://localhost:3000",  # Next.js default
            "http://127.0.0.1:3000",
            "http://localhost:5173",  # Vite default
            "http://127.0.0.1:5173",
        ]

    app.add_middleware(
        CORSMiddleware,
        allow_origins=origins,
        allow_origin_regex=origins_regex,
        allow_credentials=allow_credentials,
        allow_methods=["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=allow_headers or [
            "Authorization",
            "Content-Type",
            "X-Request-ID",
            "X-CSRF-Token",
        ],
        expose_headers=[
            "ETag",
            "Location",
            "Retry-After",
            "X-Request-ID",
            "X-RateLimit-Limit",
            "X-RateLimit-Remaining",
            "X-RateLimit-Reset",
        ],
        max_age=3600,
    )


app = FastAPI()


class InvalidToken(StarletteHTTPException):
    def __init__(self):
        super().__init__(status_code=401, detail="Invalid token.")


# Exception handlers (Backend/app/main.py, "6. Exception handlers")
@app.exception_handler(StarletteHTTPException)
async def http_error(request: Request, exc: StarletteHTTPException):
    return JSONResponse({"error": True, "code": exc.status_code, "message": exc.detail},
                        status_code=exc.status_code, headers=getattr(exc, "headers", None))


@app.exception_handler(RequestValidationError)
async def validation_error(request: Request, exc: RequestValidationError):
    return JSONResponse({"error": True, "code": 422, "message": "Validation error."},
                        status_code=422)


@app.get("/api/v1/users/me/profiles")
async def profiles(request: Request):
    auth = request.headers.get("authorization", "")
    if not auth.startswith("Bearer ") or len(auth) == len("Bearer "):
        raise InvalidToken()
    return {"profiles": [{"id": 1, "name": "Ada"}]}


@app.api_route("/api/users/1", methods=["GET", "PUT", "DELETE"])
async def user():
    return JSONResponse({"id": 1, "name": "Ada"}, headers={"X-Request-ID": "req-1"})


@app.get("/api/private")
async def private():
    raise InvalidToken()


@app.get("/api/crash")
async def crash():
    raise RuntimeError("boom")


# CORS added LAST (outermost middleware), Backend/app/main.py#L353-372
configure_cors(
    app,
    allow_headers=[
        "Authorization",
        "Content-Type",
        "X-Request-ID",
        "X-CSRF-Token",
        "If-None-Match",
        "If-Match",
        "Idempotency-Key",
        "X-Client",
        "Cache-Control",
        "Pragma",
        "X-Session-Id",
        "X-Requested-With",
        "X-Reauth",  # Step-up authentication
    ],
)


def main():
    port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ["PORT"])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
