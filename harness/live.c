/* live.c: live mode: sends one wire request to a real server over TCP or
 * TLS and reads its answer under deadlines and caps, and the responder
 * that gives these answers to libcorsim.
 *
 * Design. One connection per request (`Connection: close`), non-blocking
 * sockets and poll(), so that no call waits without a deadline: name
 * lookup runs in a helper thread when the host is not an address, TLS
 * (OpenSSL 3) runs over our own BIO so that writes use MSG_NOSIGNAL, and
 * every wait is bounded by the phase's deadline and the whole exchange's.
 *
 * Reading. An incremental llhttp parser here (the "framer") is fed the
 * bytes as they arrive and decides when to stop: the end of the final
 * answer, a cap or an error, reported in the words and byte offsets of
 * http_response.c (the same bare-LF feeding, limits and checks). When the
 * bytes hold one whole response the answer is http_response_parse() over
 * them, so a live answer and the same bytes saved as a raw_file capture
 * are one header list. When they do not (the answer to HEAD; a 204 or 304
 * announcing a body, which http_response.c waits for; a body that stalls,
 * resets or exceeds its cap) the answer is the framer's own list of the
 * final header section: the decision needs nothing else. test_live.c
 * checks that both agree on every capture of the corpus. */
#include "live.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "llhttp.h"

#define READ_CHUNK 16384

/* ---- small helpers ------------------------------------------------------- */

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double pick(double v, double def) { return v > 0 ? v : def; }
static size_t pick_size(size_t v, size_t def) { return v > 0 ? v : def; }

/* strerror() with a lower-case first letter, as our messages start. */
static void errno_text(int e, char *out, size_t n) {
  snprintf(out, n, "%s", strerror(e));
  if (out[0] >= 'A' && out[0] <= 'Z' && !(out[1] >= 'A' && out[1] <= 'Z'))
    out[0] = (char)(out[0] + 32);
}

static void lower(char *s) {
  for (; *s; s++)
    if (*s >= 'A' && *s <= 'Z') *s = (char)(*s + 32);
}

bool live_parse_seconds(const char *text, double *out) {
  if (text == NULL || *text == '\0') return false;
  char *end = NULL;
  errno = 0;
  double v = strtod(text, &end);
  if (errno != 0 || end == text || *end != '\0' || !isfinite(v) || v <= 0 ||
      v > 1e6)
    return false;
  *out = v;
  return true;
}

/* A growing byte buffer; out of memory is sticky. */
struct bytes {
  char *data;
  size_t len, cap;
  bool failed;
};

static void bytes_add(struct bytes *b, const char *s, size_t n) {
  if (b->failed) return;
  if (b->cap - b->len < n + 1) {
    size_t cap = b->cap ? b->cap : 512;
    while (cap - b->len < n + 1) {
      if (cap > SIZE_MAX / 2) {
        b->failed = true;
        return;
      }
      cap *= 2;
    }
    char *p = realloc(b->data, cap);
    if (p == NULL) {
      b->failed = true;
      return;
    }
    b->data = p;
    b->cap = cap;
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

static void bytes_puts(struct bytes *b, const char *s) {
  bytes_add(b, s, strlen(s));
}

/* ---- --resolve entries --------------------------------------------------- */

static bool parse_port(const char *s, size_t n, int *out) {
  if (n == 0 || n > 5) return false;
  int v = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  if (v < 1 || v > 65535) return false;
  *out = v;
  return true;
}

static bool is_numeric_address(const char *s) {
  unsigned char buf[sizeof(struct in6_addr)];
  return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

int live_resolve_parse(const char *spec, struct live_resolve *out, char *err,
                       size_t err_size) {
  static const char form[] = "expected HOST:PORT:ADDR[:PORT2]";
  memset(out, 0, sizeof *out);
  const char *p = spec;
  const char *host, *host_end;
  if (*p == '[') {
    host = p + 1;
    host_end = strchr(host, ']');
    if (host_end == NULL || host_end[1] != ':') goto bad_form;
    p = host_end + 1;
  } else {
    host = p;
    host_end = strchr(p, ':');
    if (host_end == NULL) goto bad_form;
    p = host_end;
  }
  size_t host_len = (size_t)(host_end - host);
  if (host_len == 0 || host_len >= sizeof out->host) {
    snprintf(err, err_size, "invalid --resolve '%s': %s", spec,
             host_len == 0 ? "no host before the first ':'" : "host too long");
    return -1;
  }
  if (!(host_len == 1 && host[0] == '*')) {
    memcpy(out->host, host, host_len);
    out->host[host_len] = '\0';
    lower(out->host);
  }
  p++; /* ':' */
  const char *port = p;
  const char *port_end = strchr(p, ':');
  if (port_end == NULL) goto bad_form;
  size_t port_len = (size_t)(port_end - port);
  if (!(port_len == 1 && port[0] == '*') &&
      !parse_port(port, port_len, &out->port)) {
    snprintf(err, err_size, "invalid --resolve '%s': port '%.*s' is not "
             "1-65535 or *", spec, (int)port_len, port);
    return -1;
  }
  p = port_end + 1;
  const char *addr = p, *addr_end, *port2 = NULL;
  if (*p == '[') {
    addr = p + 1;
    addr_end = strchr(addr, ']');
    if (addr_end == NULL) goto bad_form;
    if (addr_end[1] == ':')
      port2 = addr_end + 2;
    else if (addr_end[1] != '\0')
      goto bad_form;
  } else {
    /* One more ':' is IPv4:PORT2; several are an IPv6 address. */
    const char *c1 = strchr(p, ':');
    if (c1 != NULL && strchr(c1 + 1, ':') == NULL) {
      addr_end = c1;
      port2 = c1 + 1;
    } else {
      addr_end = p + strlen(p);
    }
  }
  size_t addr_len = (size_t)(addr_end - addr);
  if (addr_len == 0 || addr_len >= sizeof out->addr) goto bad_addr;
  memcpy(out->addr, addr, addr_len);
  out->addr[addr_len] = '\0';
  if (!is_numeric_address(out->addr)) goto bad_addr;
  if (port2 != NULL && !parse_port(port2, strlen(port2), &out->connect_port)) {
    snprintf(err, err_size, "invalid --resolve '%s': port '%s' is not "
             "1-65535", spec, port2);
    return -1;
  }
  return 0;
bad_addr:
  snprintf(err, err_size, "invalid --resolve '%s': '%.*s' is not a numeric "
           "IPv4 or IPv6 address", spec, (int)addr_len, addr);
  return -1;
bad_form:
  snprintf(err, err_size, "invalid --resolve '%s': %s", spec, form);
  return -1;
}

/* ---- the URL of a wire request --------------------------------------------- */

struct target {
  bool is_tls;
  char host[256];      /* as in the URL, IPv6 without brackets */
  bool is_ipv6;
  int port;
  char authority[300]; /* the Host header: host[:port] as in the URL */
  char hostport[300];  /* for messages: host:port, IPv6 in brackets */
  const char *path;    /* path and query, into the URL (no fragment) */
  size_t path_len;
};

/* Splits a serialized http(s) URL (the simulator's wire URL). */
static int split_url(const char *url, struct target *t, char *err,
                     size_t err_size) {
  memset(t, 0, sizeof *t);
  const char *rest;
  if (strncasecmp(url, "https://", 8) == 0) {
    t->is_tls = true;
    rest = url + 8;
  } else if (strncasecmp(url, "http://", 7) == 0) {
    rest = url + 7;
  } else {
    snprintf(err, err_size, "cannot fetch '%s' live: only http and https "
             "URLs go on the wire", url);
    return -1;
  }
  size_t alen = strcspn(rest, "/?#");
  const char *auth = rest;
  /* userinfo is never sent: browsers strip it from the request */
  for (size_t i = alen; i > 0; i--)
    if (rest[i - 1] == '@') {
      auth = rest + i;
      alen -= i;
      break;
    }
  const char *host = auth, *host_end, *after;
  if (alen > 0 && auth[0] == '[') {
    host_end = memchr(auth, ']', alen);
    if (host_end == NULL) goto bad;
    host = auth + 1;
    after = host_end + 1;
    t->is_ipv6 = true;
  } else {
    host_end = memchr(auth, ':', alen);
    if (host_end == NULL) host_end = auth + alen;
    after = host_end;
  }
  size_t hlen = (size_t)(host_end - host);
  if (hlen == 0 || hlen >= sizeof t->host) goto bad;
  memcpy(t->host, host, hlen);
  t->host[hlen] = '\0';
  lower(t->host);
  t->port = t->is_tls ? 443 : 80;
  size_t left = alen - (size_t)(after - auth);
  if (left > 0) {
    if (after[0] != ':') goto bad;
    if (left > 1 && !parse_port(after + 1, left - 1, &t->port)) goto bad;
  }
  if (alen >= sizeof t->authority) goto bad;
  memcpy(t->authority, auth, alen);
  t->authority[alen] = '\0';
  snprintf(t->hostport, sizeof t->hostport, t->is_ipv6 ? "[%s]:%d" : "%s:%d",
           t->host, t->port);
  t->path = auth + alen;
  t->path_len = strcspn(t->path, "#");
  return 0;
bad:
  snprintf(err, err_size, "cannot fetch '%s' live: the URL has no usable "
           "host and port", url);
  return -1;
}

/* ---- one exchange's state ----------------------------------------------------- */

/* One header while reading: offsets into framer.names. */
struct span {
  size_t line_start; /* in the received bytes */
  size_t name_off, name_len;
  size_t value_off, value_len;
};

/* The framer: an incremental llhttp parser that finds where the answer
 * ends and keeps the final answer's header list on the way. */
struct framer {
  llhttp_t parser;
  llhttp_settings_t settings;
  const char *data; /* the received bytes; offsets count from here */
  size_t len;       /* how many have arrived */
  size_t off;       /* next byte to feed */
  size_t max_headers, max_header_bytes;
  struct bytes names; /* names and values, each NUL-terminated */
  struct span *spans;
  size_t count, cap;
  size_t header_bytes; /* names + values, without the NULs */
  bool in_field;
  bool in_headers;   /* status line or header section of a message */
  bool is_interim;   /* a 1xx answer, skipped as browsers do */
  bool is_head;      /* the request was HEAD */
  bool is_bodyless;  /* the final answer ends with its headers */
  bool pause_done;   /* on_complete paused the parser */
  bool headers_done; /* the final answer's headers are complete */
  bool message_done; /* the final answer is complete */
  size_t message_start;
  size_t final_start; /* where the final answer's status line starts */
  size_t lf_fixed;    /* the bare LF whose CR was fed */
  size_t lf_clean;    /* no bare LF in [off, lf_clean) */
  int status;
  size_t body_bytes;
  bool is_cap; /* the error is a cap, not bad syntax */
  bool is_oom;
  char err[200];
  bool has_error;
};

struct exchange {
  struct live_responder *r;
  const struct corsim_wire_request *w;
  struct target t;
  char server[400]; /* how messages name the server */
  int fd;
  SSL *ssl;
  int sys_errno; /* the socket error our BIO saw */
  bool eof;      /* our BIO saw the end of the stream */
  struct bytes in;
  struct framer f;
  char *err;
  size_t err_size;
  bool oom; /* the failure is out of memory */
};

__attribute__((format(printf, 2, 3))) static int fail(struct exchange *x,
                                                       const char *fmt, ...) {
  char msg[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  snprintf(x->err, x->err_size, "%s: %s", x->server, msg);
  return -1;
}

static int fail_oom(struct exchange *x) {
  x->oom = true;
  return fail(x, "out of memory");
}

/* Names the deadline that ends a wait: the phase's or the whole one's. */
static int deadline_fail(struct exchange *x, const char *what, double phase,
                         double phase_deadline, double total_deadline,
                         const char *phase_name) {
  if (total_deadline <= phase_deadline)
    return fail(x, "%s within %g s (whole-response deadline)", what,
                pick(x->r->options.max_time, LIVE_MAX_TIME));
  return fail(x, "%s within %g s (%s deadline)", what, phase, phase_name);
}

/* 1: ready; 0: the deadline passed; -1: poll failed. */
static int wait_fd(int fd, short events, double deadline) {
  for (;;) {
    double left = deadline - now_seconds();
    if (left <= 0) return 0;
    double ms = ceil(left * 1000.0);
    struct pollfd p = {fd, events, 0};
    int rc = poll(&p, 1, ms > INT_MAX ? INT_MAX : (int)ms);
    if (rc > 0) return 1;
    if (rc < 0 && errno != EINTR) return -1;
  }
}

/* ---- name lookup with a deadline -------------------------------------------- */

/* getaddrinfo() has no timeout, so a name is looked up in a helper thread
 * while we wait on a pipe; when the deadline passes first the thread is
 * left to finish alone and frees the job (the last reference does). */
struct lookup_job {
  pthread_mutex_t lock;
  int refs;
  char host[256];
  char service[8];
  struct addrinfo *result;
  int rc;
  int pipe_r, pipe_w;
};

static void lookup_unref(struct lookup_job *j) {
  pthread_mutex_lock(&j->lock);
  int left = --j->refs;
  pthread_mutex_unlock(&j->lock);
  if (left > 0) return;
  if (j->result != NULL) freeaddrinfo(j->result);
  close(j->pipe_r);
  close(j->pipe_w);
  pthread_mutex_destroy(&j->lock);
  free(j);
}

static void *lookup_thread(void *arg) {
  struct lookup_job *j = arg;
  struct addrinfo hints;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  struct addrinfo *res = NULL;
  int rc = getaddrinfo(j->host, j->service, &hints, &res);
  pthread_mutex_lock(&j->lock);
  j->rc = rc;
  j->result = rc == 0 ? res : NULL;
  pthread_mutex_unlock(&j->lock);
  ssize_t ignored = write(j->pipe_w, "x", 1);
  (void)ignored;
  lookup_unref(j);
  return NULL;
}

/* Returns 0 with *out set, or -1 after fail(). */
static int lookup(struct exchange *x, const char *host, int port,
                  double deadline, double total, struct addrinfo **out) {
  char service[8];
  snprintf(service, sizeof service, "%d", port);
  struct addrinfo hints;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
  int rc = getaddrinfo(host, service, &hints, out);
  if (rc == 0) return 0;
  if (rc == EAI_MEMORY) return fail_oom(x);

  struct lookup_job *j = calloc(1, sizeof *j);
  int fds[2];
  if (j == NULL) return fail_oom(x);
  if (pipe(fds) != 0) {
    free(j);
    return fail(x, "cannot look up '%s': no pipe", host);
  }
  pthread_mutex_init(&j->lock, NULL);
  j->refs = 2;
  snprintf(j->host, sizeof j->host, "%s", host);
  snprintf(j->service, sizeof j->service, "%s", service);
  j->pipe_r = fds[0];
  j->pipe_w = fds[1];
  pthread_t th;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  if (pthread_create(&th, &attr, lookup_thread, j) != 0) {
    pthread_attr_destroy(&attr);
    j->refs = 1;
    lookup_unref(j);
    return fail(x, "cannot look up '%s': no thread", host);
  }
  pthread_attr_destroy(&attr);
  int ready = wait_fd(j->pipe_r, POLLIN, deadline);
  if (ready <= 0) {
    lookup_unref(j);
    return deadline_fail(x, "no address for the host",
                         pick(x->r->options.connect_timeout,
                              LIVE_CONNECT_TIMEOUT),
                         deadline, total, "connect");
  }
  pthread_mutex_lock(&j->lock);
  rc = j->rc;
  *out = j->result;
  j->result = NULL;
  pthread_mutex_unlock(&j->lock);
  lookup_unref(j);
  if (rc != 0) return fail(x, "cannot look up '%s': %s", host, gai_strerror(rc));
  return 0;
}

/* ---- connecting --------------------------------------------------------------- */

static const struct live_resolve *find_resolve(const struct live_responder *r,
                                               const struct target *t) {
  for (size_t i = 0; i < r->resolve_count; i++) {
    const struct live_resolve *e = &r->resolve[i];
    if ((e->host[0] == '\0' || strcmp(e->host, t->host) == 0) &&
        (e->port == 0 || e->port == t->port))
      return e;
  }
  return NULL;
}

static void name_server(struct exchange *x, const char *addr, int port) {
  bool same = strcmp(addr, x->t.host) == 0 && port == x->t.port;
  if (same) {
    snprintf(x->server, sizeof x->server, "%s", x->t.hostport);
  } else {
    bool v6 = strchr(addr, ':') != NULL;
    snprintf(x->server, sizeof x->server, v6 ? "%s via [%s]:%d" : "%s via %s:%d",
             x->t.hostport, addr, port);
  }
}

static int connect_one(int fd, const struct addrinfo *ai, double deadline,
                       int *error) {
  if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) return 1;
  if (errno != EINPROGRESS && errno != EINTR) {
    *error = errno;
    return -1;
  }
  int ready = wait_fd(fd, POLLOUT, deadline);
  if (ready == 0) return 0;
  if (ready < 0) {
    *error = errno;
    return -1;
  }
  int so = 0;
  socklen_t len = sizeof so;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &so, &len) != 0) so = errno;
  if (so != 0) {
    *error = so;
    return -1;
  }
  return 1;
}

static int open_connection(struct exchange *x, double deadline, double total) {
  const struct live_resolve *e = find_resolve(x->r, &x->t);
  const char *host = e ? e->addr : x->t.host;
  int port = e && e->connect_port ? e->connect_port : x->t.port;
  if (e != NULL) name_server(x, e->addr, port);
  struct addrinfo *list = NULL;
  if (lookup(x, host, port, deadline, total, &list) != 0) return -1;
  int last_error = ECONNREFUSED;
  char last_addr[INET6_ADDRSTRLEN] = "";
  for (const struct addrinfo *ai = list; ai != NULL; ai = ai->ai_next) {
    char addr[INET6_ADDRSTRLEN] = "";
    const void *raw = ai->ai_family == AF_INET6
                          ? (const void *)&((const struct sockaddr_in6 *)(const void *)ai->ai_addr)->sin6_addr
                          : (const void *)&((const struct sockaddr_in *)(const void *)ai->ai_addr)->sin_addr;
    inet_ntop(ai->ai_family, raw, addr, sizeof addr);
    int fd = socket(ai->ai_family, SOCK_STREAM, 0);
    if (fd < 0) {
      last_error = errno;
      continue;
    }
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
      last_error = errno;
      close(fd);
      continue;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    int error = 0;
    int rc = connect_one(fd, ai, deadline, &error);
    if (rc == 1) {
      freeaddrinfo(list);
      x->fd = fd;
      name_server(x, addr, port);
      return 0;
    }
    close(fd);
    if (rc == 0) {
      freeaddrinfo(list);
      name_server(x, addr, port);
      return deadline_fail(x, "no TCP connection",
                           pick(x->r->options.connect_timeout,
                                LIVE_CONNECT_TIMEOUT),
                           deadline, total, "connect");
    }
    last_error = error;
    snprintf(last_addr, sizeof last_addr, "%s", addr);
  }
  freeaddrinfo(list);
  if (last_addr[0] != '\0') name_server(x, last_addr, port);
  char text[128];
  errno_text(last_error, text, sizeof text);
  return fail(x, "cannot connect: %s", text);
}

/* ---- TLS over our own socket BIO ------------------------------------------------ */

static int bio_write_ex(BIO *b, const char *data, size_t len, size_t *done) {
  struct exchange *x = BIO_get_data(b);
  BIO_clear_retry_flags(b);
  *done = 0;
  ssize_t n = send(x->fd, data, len, MSG_NOSIGNAL);
  if (n >= 0) {
    *done = (size_t)n;
    return 1;
  }
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
    BIO_set_retry_write(b);
  else
    x->sys_errno = errno;
  return 0;
}

static int bio_read_ex(BIO *b, char *data, size_t len, size_t *done) {
  struct exchange *x = BIO_get_data(b);
  BIO_clear_retry_flags(b);
  *done = 0;
  ssize_t n = recv(x->fd, data, len, 0);
  if (n > 0) {
    *done = (size_t)n;
    return 1;
  }
  if (n == 0)
    x->eof = true;
  else if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
    BIO_set_retry_read(b);
  else
    x->sys_errno = errno;
  return 0;
}

static long bio_ctrl(BIO *b, int cmd, long num, void *ptr) {
  (void)num;
  (void)ptr;
  struct exchange *x = BIO_get_data(b);
  if (cmd == BIO_CTRL_FLUSH) return 1;
  if (cmd == BIO_CTRL_EOF) return x != NULL && x->eof;
  return 0;
}

static int bio_create(BIO *b) {
  BIO_set_init(b, 1);
  return 1;
}

static void tls_error_text(struct exchange *x, char *out, size_t n) {
  long verify = SSL_get_verify_result(x->ssl);
  unsigned long e = ERR_peek_last_error();
  if (!x->r->options.insecure && verify != X509_V_OK) {
    snprintf(out, n, "certificate verify failed (%s)",
             X509_verify_cert_error_string(verify));
  } else if (e != 0) {
    const char *reason = ERR_reason_error_string(e);
    snprintf(out, n, "%s", reason ? reason : "error");
  } else if (x->sys_errno != 0) {
    errno_text(x->sys_errno, out, n);
  } else if (x->eof) {
    snprintf(out, n, "the server closed the connection");
  } else {
    snprintf(out, n, "unknown error");
  }
}

static int tls_handshake(struct exchange *x, double deadline, double total) {
  SSL_CTX *ctx = x->r->tls_;
  x->ssl = SSL_new(ctx);
  BIO *bio = x->ssl ? BIO_new(x->r->bio_method_) : NULL;
  if (bio == NULL) return fail_oom(x);
  BIO_set_data(bio, x);
  SSL_set_bio(x->ssl, bio, bio);
  /* SNI and the certificate check use the URL's host; SNI has no IP
   * addresses and no trailing dot (RFC 6066 section 3). */
  char name[256];
  snprintf(name, sizeof name, "%s", x->t.host);
  size_t nl = strlen(name);
  if (nl > 1 && name[nl - 1] == '.') name[nl - 1] = '\0';
  bool is_ip = is_numeric_address(name);
  if (!is_ip) SSL_set_tlsext_host_name(x->ssl, name);
  if (!x->r->options.insecure) {
    int ok = is_ip ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(x->ssl), name)
                   : SSL_set1_host(x->ssl, name);
    if (ok != 1) return fail(x, "TLS setup failed for host '%s'", name);
  }
  SSL_set_connect_state(x->ssl);
  for (;;) {
    ERR_clear_error();
    int rc = SSL_connect(x->ssl);
    if (rc == 1) return 0;
    int e = SSL_get_error(x->ssl, rc);
    short events = e == SSL_ERROR_WANT_READ    ? POLLIN
                   : e == SSL_ERROR_WANT_WRITE ? POLLOUT
                                               : 0;
    if (events == 0) {
      char text[200];
      tls_error_text(x, text, sizeof text);
      return fail(x, "TLS handshake failed: %s", text);
    }
    int ready = wait_fd(x->fd, events, deadline);
    if (ready == 0)
      return deadline_fail(x, "no TLS handshake",
                           pick(x->r->options.tls_timeout, LIVE_TLS_TIMEOUT),
                           deadline, total, "TLS handshake");
    if (ready < 0) return fail(x, "poll failed during the TLS handshake");
  }
}

/* ---- reading and writing ----------------------------------------------------------- */

enum io { IO_DONE = 1, IO_EOF = 0, IO_ERROR = -1, IO_WANT_READ = -2,
          IO_WANT_WRITE = -3 };

static enum io conn_read(struct exchange *x, char *p, size_t n, size_t *got) {
  *got = 0;
  if (x->ssl != NULL) {
    ERR_clear_error();
    size_t k = 0;
    if (SSL_read_ex(x->ssl, p, n, &k) == 1) {
      *got = k;
      return IO_DONE;
    }
    int e = SSL_get_error(x->ssl, 0);
    if (e == SSL_ERROR_WANT_READ) return IO_WANT_READ;
    if (e == SSL_ERROR_WANT_WRITE) return IO_WANT_WRITE;
    if (e == SSL_ERROR_ZERO_RETURN) return IO_EOF;
    if (e == SSL_ERROR_SYSCALL && x->sys_errno == 0) return IO_EOF;
    return IO_ERROR;
  }
  ssize_t k = recv(x->fd, p, n, 0);
  if (k > 0) {
    *got = (size_t)k;
    return IO_DONE;
  }
  if (k == 0) return IO_EOF;
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
    return IO_WANT_READ;
  x->sys_errno = errno;
  return IO_ERROR;
}

static enum io conn_write(struct exchange *x, const char *p, size_t n,
                          size_t *done) {
  *done = 0;
  if (x->ssl != NULL) {
    ERR_clear_error();
    size_t k = 0;
    if (SSL_write_ex(x->ssl, p, n, &k) == 1) {
      *done = k;
      return IO_DONE;
    }
    int e = SSL_get_error(x->ssl, 0);
    if (e == SSL_ERROR_WANT_READ) return IO_WANT_READ;
    if (e == SSL_ERROR_WANT_WRITE) return IO_WANT_WRITE;
    return IO_ERROR;
  }
  ssize_t k = send(x->fd, p, n, MSG_NOSIGNAL);
  if (k >= 0) {
    *done = (size_t)k;
    return IO_DONE;
  }
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
    return IO_WANT_WRITE;
  x->sys_errno = errno;
  return IO_ERROR;
}

static void io_error_text(struct exchange *x, char *out, size_t n) {
  if (x->ssl != NULL) {
    if (x->sys_errno != 0) {
      errno_text(x->sys_errno, out, n);
    } else {
      char tls[160];
      tls_error_text(x, tls, sizeof tls);
      snprintf(out, n, "TLS error: %.160s", tls);
    }
  } else {
    errno_text(x->sys_errno ? x->sys_errno : EIO, out, n);
  }
}

/* ---- the request ---------------------------------------------------------------------- */

static bool is_tchar(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || (c != 0 && strchr("!#$%&'*+-.^_`|~", c));
}

static bool is_token(const char *s, size_t n) {
  if (n == 0) return false;
  for (size_t i = 0; i < n; i++)
    if (!is_tchar((unsigned char)s[i])) return false;
  return true;
}

static bool is_safe_value(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] == '\r' || s[i] == '\n' || s[i] == '\0') return false;
  return true;
}

static int build_request(struct exchange *x, struct bytes *b) {
  const struct corsim_wire_request *w = x->w;
  if (!is_token(w->method, strlen(w->method)))
    return fail(x, "cannot send method '%s': not an HTTP token", w->method);
  bytes_puts(b, w->method);
  bytes_puts(b, " ");
  if (x->t.path_len == 0 || x->t.path[0] != '/') bytes_puts(b, "/");
  bytes_add(b, x->t.path, x->t.path_len);
  bytes_puts(b, " HTTP/1.1\r\nHost: ");
  bytes_puts(b, x->t.authority);
  bytes_puts(b, "\r\n");
  for (size_t i = 0; i < w->headers.count; i++) {
    const struct corsim_header *h = &w->headers.items[i];
    if (!is_token(h->name, h->name_len) ||
        !is_safe_value(h->value, h->value_len))
      return fail(x, "cannot send header '%.*s': not a valid HTTP field",
                  (int)(h->name_len > 64 ? 64 : h->name_len), h->name);
    bytes_add(b, h->name, h->name_len);
    bytes_puts(b, ": ");
    bytes_add(b, h->value, h->value_len);
    bytes_puts(b, "\r\n");
  }
  if (x->r->options.replay && x->r->replay_tag_[0] != '\0' &&
      is_safe_value(w->url, strlen(w->url))) {
    bytes_puts(b, "X-Corsim-Replay: ");
    bytes_puts(b, x->r->replay_tag_);
    bytes_puts(b, "\r\nX-Corsim-Replay-Url: ");
    bytes_puts(b, w->url);
    bytes_puts(b, "\r\n");
  }
  /* fetch#http-network-or-cache-fetch: a null body is `Content-Length: 0`
   * for POST and PUT only. */
  if (strcmp(w->method, "POST") == 0 || strcmp(w->method, "PUT") == 0)
    bytes_puts(b, "Content-Length: 0\r\n");
  bytes_puts(b, "Connection: close\r\n\r\n");
  if (b->failed) return fail_oom(x);
  return 0;
}

static int send_request(struct exchange *x, const struct bytes *req,
                        double deadline, double total) {
  size_t sent = 0;
  while (sent < req->len) {
    size_t k = 0;
    enum io rc = conn_write(x, req->data + sent, req->len - sent, &k);
    if (rc == IO_DONE) {
      sent += k;
      continue;
    }
    if (rc == IO_ERROR || rc == IO_EOF) {
      char text[200];
      io_error_text(x, text, sizeof text);
      return fail(x, "%s while sending the request", text);
    }
    int ready = wait_fd(x->fd, rc == IO_WANT_READ ? POLLIN : POLLOUT, deadline);
    if (ready == 0)
      return deadline_fail(x, "request not sent",
                           pick(x->r->options.first_byte_timeout,
                                LIVE_FIRST_BYTE_TIMEOUT),
                           deadline, total, "first-byte");
    if (ready < 0) return fail(x, "poll failed while sending the request");
  }
  return 0;
}

/* ---- the framer ------------------------------------------------------------------------ */

static struct framer *framer_of(llhttp_t *p) { return (struct framer *)p->data; }

static size_t frame_offset(const struct framer *f, const char *at) {
  if (at != NULL && at >= f->data && at <= f->data + f->len)
    return (size_t)(at - f->data);
  return f->off;
}

__attribute__((format(printf, 3, 4))) static int frame_fail(struct framer *f,
                                                             bool is_cap,
                                                             const char *fmt,
                                                             ...) {
  if (!f->has_error) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->err, sizeof f->err, fmt, ap);
    va_end(ap);
    f->has_error = true;
    f->is_cap = is_cap;
  }
  return -1;
}

static int frame_oom(struct framer *f) {
  f->is_oom = true;
  return frame_fail(f, false, "out of memory");
}

/* Appends a name or value span, counting it against the byte cap. */
static int keep(struct framer *f, const char *at, size_t n) {
  if (n > f->max_header_bytes - f->header_bytes)
    return frame_fail(f, true, "more than %zu header bytes at byte %zu",
                      f->max_header_bytes,
                      frame_offset(f, at) + (f->max_header_bytes - f->header_bytes));
  f->header_bytes += n;
  bytes_add(&f->names, at, n);
  return f->names.failed ? frame_oom(f) : 0;
}

static int terminate(struct framer *f) {
  bytes_add(&f->names, "", 1);
  return f->names.failed ? frame_oom(f) : 0;
}

static int on_begin(llhttp_t *p) {
  struct framer *f = framer_of(p);
  f->names.len = 0;
  f->count = 0;
  f->header_bytes = 0;
  f->in_field = false;
  f->in_headers = true;
  f->is_interim = false;
  f->body_bytes = 0;
  return 0;
}

static int on_field(llhttp_t *p, const char *at, size_t n) {
  struct framer *f = framer_of(p);
  if (f->headers_done) return 0; /* trailers are not headers */
  if (!f->in_field) {
    if (f->count >= f->max_headers)
      return frame_fail(f, true, "more than %zu header lines at byte %zu",
                        f->max_headers, frame_offset(f, at));
    if (f->count == f->cap) {
      size_t cap = f->cap ? f->cap * 2 : 16;
      struct span *sp = realloc(f->spans, cap * sizeof *sp);
      if (sp == NULL) return frame_oom(f);
      f->spans = sp;
      f->cap = cap;
    }
    struct span *h = &f->spans[f->count++];
    memset(h, 0, sizeof *h);
    h->line_start = frame_offset(f, at);
    h->name_off = f->names.len;
    f->in_field = true;
  }
  f->spans[f->count - 1].name_len += n;
  return keep(f, at, n);
}

static int on_field_complete(llhttp_t *p) {
  struct framer *f = framer_of(p);
  if (f->headers_done) return 0;
  if (!f->in_field || f->spans[f->count - 1].name_len == 0)
    return frame_fail(f, false, "empty header name at byte %zu",
                      f->in_field ? f->spans[f->count - 1].line_start : f->off);
  f->in_field = false;
  if (terminate(f) != 0) return -1;
  f->spans[f->count - 1].value_off = f->names.len;
  return 0;
}

static int on_value(llhttp_t *p, const char *at, size_t n) {
  struct framer *f = framer_of(p);
  if (f->headers_done || f->count == 0) return 0;
  f->spans[f->count - 1].value_len += n;
  return keep(f, at, n);
}

static int on_value_complete(llhttp_t *p) {
  struct framer *f = framer_of(p);
  if (f->headers_done || f->count == 0) return 0;
  /* RFC 9110 field-line: the OWS after the value is not part of it */
  struct span *h = &f->spans[f->count - 1];
  while (h->value_len > 0 &&
         (f->names.data[h->value_off + h->value_len - 1] == ' ' ||
          f->names.data[h->value_off + h->value_len - 1] == '\t')) {
    h->value_len--;
    f->names.len--;
  }
  return terminate(f);
}

static int on_headers_complete(llhttp_t *p) {
  struct framer *f = framer_of(p);
  f->in_headers = false;
  int status = llhttp_get_status_code(p);
  if (status < 100 || status > 999)
    return frame_fail(f, false, "invalid status code %d at byte %zu", status,
                      f->message_start + 9);
  f->is_interim = status < 200 && status != 101;
  if (f->is_interim) return 0;
  f->status = status;
  f->headers_done = true;
  f->final_start = f->message_start;
  /* RFC 9112 section 6.3: the answer to HEAD and a 1xx, 204 or 304 end
   * with their headers, whatever Content-Length says; 101 ends HTTP. */
  f->is_bodyless = f->is_head || status == 204 || status == 304 ||
                   status == 101;
  return f->is_bodyless ? 1 : 0;
}

static int on_body(llhttp_t *p, const char *at, size_t n) {
  (void)at;
  framer_of(p)->body_bytes += n;
  return 0;
}

static int on_complete(llhttp_t *p) {
  struct framer *f = framer_of(p);
  f->pause_done = true;
  if (!f->is_interim) f->message_done = true;
  return HPE_PAUSED;
}

static void framer_init(struct framer *f, size_t max_headers,
                        size_t max_header_bytes, bool is_head) {
  memset(f, 0, sizeof *f);
  f->max_headers = pick_size(max_headers, LIVE_MAX_HEADERS);
  f->max_header_bytes = pick_size(max_header_bytes, LIVE_MAX_HEADER_BYTES);
  f->is_head = is_head;
  f->in_headers = true;
  f->lf_fixed = SIZE_MAX;
  llhttp_settings_init(&f->settings);
  f->settings.on_message_begin = on_begin;
  f->settings.on_header_field = on_field;
  f->settings.on_header_field_complete = on_field_complete;
  f->settings.on_header_value = on_value;
  f->settings.on_header_value_complete = on_value_complete;
  f->settings.on_headers_complete = on_headers_complete;
  f->settings.on_body = on_body;
  f->settings.on_message_complete = on_complete;
  llhttp_init(&f->parser, HTTP_RESPONSE, &f->settings);
  f->parser.data = f;
}

static void framer_release(struct framer *f) {
  free(f->names.data);
  free(f->spans);
  f->names.data = NULL;
  f->spans = NULL;
}

static int framer_llhttp_failed(struct framer *f, llhttp_errno_t rc) {
  if (f->has_error) return -1;
  const char *reason = llhttp_get_error_reason(&f->parser);
  return frame_fail(f, false, "%s at byte %zu: %s", llhttp_errno_name(rc),
                    frame_offset(f, llhttp_get_error_pos(&f->parser)),
                    reason != NULL ? reason : "parse error");
}

/* Feeds n bytes at p (the data, or a CR of our own); our pause at the end
 * of a message becomes HPE_OK with f->off after that message. */
static llhttp_errno_t framer_exec(struct framer *f, const char *p, size_t n,
                                  bool is_data) {
  llhttp_errno_t rc = llhttp_execute(&f->parser, p, n);
  if (rc == HPE_PAUSED && f->pause_done) {
    const char *stop = llhttp_get_error_pos(&f->parser);
    llhttp_resume(&f->parser);
    f->pause_done = false;
    if (is_data) f->off = (size_t)(stop - f->data);
    if (!f->message_done) {
      f->message_start = f->off; /* an interim answer ended */
      f->in_headers = true;
    }
    return HPE_OK;
  }
  if (rc == HPE_PAUSED_UPGRADE && f->headers_done) {
    f->message_done = true; /* 101: the answer ends with its headers */
    if (is_data) f->off += n;
    return HPE_OK;
  }
  if (rc == HPE_OK && is_data) f->off += n;
  return rc;
}

/* Feeds what arrived up to `len`, with http_response.c's bare-LF rule:
 * in the status line and header section a LF without CR is fed as CRLF.
 * Returns 0, or -1 with f->err. */
static int framer_feed(struct framer *f, const char *data, size_t len) {
  f->data = data;
  f->len = len;
  while (!f->message_done && f->off < len) {
    size_t n = len - f->off;
    if (f->in_headers) {
      /* bytes before f->lf_clean hold no bare LF: not scanned again */
      size_t from = f->off == f->lf_fixed ? f->off + 1 : f->off;
      if (from < f->lf_clean) from = f->lf_clean;
      bool fed_cr = false;
      size_t i;
      for (i = from; i < f->off + n; i++) {
        if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r')) {
          if (i == f->off) {
            llhttp_errno_t rc = framer_exec(f, "\r", 1, false);
            if (rc != HPE_OK) return framer_llhttp_failed(f, rc);
            f->lf_fixed = i;
            fed_cr = true;
          } else {
            n = i - f->off;
          }
          break;
        }
      }
      f->lf_clean = i;
      if (fed_cr) continue;
    }
    llhttp_errno_t rc = framer_exec(f, data + f->off, n, true);
    if (rc != HPE_OK) return framer_llhttp_failed(f, rc);
  }
  return 0;
}

/* The stream ended: a body that runs to the end of the connection is
 * complete now (on_complete sets message_done). */
static void framer_finish(struct framer *f) {
  if (f->message_done || !f->headers_done || f->has_error) return;
  llhttp_errno_t rc = llhttp_finish(&f->parser);
  (void)rc;
}

/* The answer once reading stopped: http_response_parse() over a whole
 * response, the framer's own header list otherwise. Returns 0, -1 with
 * `err`, -2 out of memory. */
static int framer_answer(struct framer *f, const char *data, size_t len,
                         const struct http_response_limits *limits,
                         struct live_result *out, char *err, size_t err_size) {
  if (!f->headers_done) {
    /* http_response.c's words for the same bytes */
    if (len == 0)
      snprintf(err, err_size, "empty response");
    else if (f->message_start > 0 && f->message_start == len)
      snprintf(err, err_size, "no final response after the interim one at "
               "byte %zu", len);
    else
      snprintf(err, err_size, "HPE_INVALID_EOF_STATE at byte %zu: response "
               "ends inside the headers", len);
    return -1;
  }
  if (f->message_done && !f->is_head) {
    int rc = http_response_parse(data, len, 0, limits, &out->parsed_, err,
                                 err_size);
    if (rc == 0) {
      out->status = out->parsed_.status;
      out->headers = out->parsed_.headers;
      out->header_count = out->parsed_.header_count;
      out->is_whole = true;
      return 0;
    }
    if (strcmp(err, "out of memory") == 0) return -2;
    /* http_response.c reads a body into a 204 or 304 that announces one;
     * RFC 9112 section 6.3 says they have none, so the framer's list is
     * the answer and the bytes are no raw_file capture */
    if (!f->is_bodyless) return -1;
  }
  size_t array = f->count * sizeof(struct corsim_header);
  char *block = malloc(array + f->names.len + 1);
  if (block == NULL) return -2;
  struct corsim_header *h = (struct corsim_header *)(void *)block;
  char *names = block + array;
  if (f->names.len > 0) memcpy(names, f->names.data, f->names.len);
  names[f->names.len] = '\0';
  for (size_t i = 0; i < f->count; i++) {
    h[i].name = names + f->spans[i].name_off;
    h[i].name_len = f->spans[i].name_len;
    h[i].value = names + f->spans[i].value_off;
    h[i].value_len = f->spans[i].value_len;
  }
  out->store_ = block;
  out->status = f->status;
  out->headers = f->count > 0 ? h : NULL;
  out->header_count = f->count;
  out->is_whole = false;
  return 0;
}

static struct http_response_limits limits_of(const struct live_options *o) {
  struct http_response_limits lim = {
      pick_size(o->max_headers, LIVE_MAX_HEADERS),
      pick_size(o->max_header_bytes, LIVE_MAX_HEADER_BYTES)};
  return lim;
}

int live_parse_answer(const char *data, size_t len, size_t chunk,
                      bool is_head, const struct http_response_limits *limits,
                      struct live_result *out, char *err, size_t err_size) {
  memset(out, 0, sizeof *out);
  struct http_response_limits lim = {0, 0};
  if (limits != NULL) lim = *limits;
  if (data == NULL) len = 0;
  struct framer f;
  framer_init(&f, lim.max_headers, lim.max_header_bytes, is_head);
  int rc = 0;
  size_t fed = chunk > 0 && chunk < len ? chunk : len;
  for (;;) {
    rc = framer_feed(&f, data ? data : "", fed);
    if (rc != 0 || fed == len || f.message_done) break;
    fed = len - fed > chunk ? fed + chunk : len;
  }
  if (rc != 0) {
    snprintf(err, err_size, "%s", f.err);
    rc = f.is_oom ? -2 : -1;
  } else {
    framer_finish(&f);
    rc = framer_answer(&f, data ? data : "", data ? len : 0, &lim, out, err,
                       err_size);
  }
  framer_release(&f);
  if (rc != 0) live_result_release(out);
  return rc;
}

/* ---- reading the answer ------------------------------------------------------------------ */

static int read_answer(struct exchange *x, double first_deadline,
                       double total, char *note, size_t note_size) {
  const struct live_options *o = &x->r->options;
  size_t max_body = pick_size(o->max_body_bytes, LIVE_MAX_BODY_BYTES);
  size_t head_cap = pick_size(o->max_header_bytes, LIVE_MAX_HEADER_BYTES) * 2 +
                    65536;
  size_t raw_cap = head_cap + 2 * max_body; /* chunk framing included */
  struct framer *f = &x->f;
  char chunk[READ_CHUNK];
  note[0] = '\0';
  for (;;) {
    if (f->message_done) return 0;
    if (f->headers_done && (f->body_bytes >= max_body || x->in.len >= raw_cap)) {
      snprintf(note, note_size, "stopped reading the body after %zu bytes "
               "(the body cap); the decision uses the headers", f->body_bytes);
      return 0;
    }
    if (!f->headers_done && x->in.len >= head_cap)
      return fail(x, "response headers too large: more than %zu bytes before "
                  "the end of the headers", head_cap);
    size_t got = 0;
    enum io rc = conn_read(x, chunk, sizeof chunk, &got);
    if (rc == IO_DONE) {
      bytes_add(&x->in, chunk, got);
      if (x->in.failed) return fail_oom(x);
      if (framer_feed(f, x->in.data, x->in.len) != 0) {
        if (f->is_oom) return fail_oom(x);
        return fail(x, "%s: %s", f->is_cap ? "response headers too large"
                                           : "invalid HTTP response",
                    f->err);
      }
      continue;
    }
    if (rc == IO_EOF) {
      framer_finish(f);
      if (f->message_done) return 0;
      if (f->headers_done) {
        snprintf(note, note_size, "the connection closed after %zu body "
                 "bytes, before the body's end; the decision uses the headers",
                 f->body_bytes);
        return 0;
      }
      if (x->in.len == 0)
        return fail(x, "connection closed by the server before any response");
      return fail(x, "connection closed by the server while reading headers "
                  "(after %zu bytes)", x->in.len);
    }
    if (rc == IO_ERROR) {
      char text[200];
      io_error_text(x, text, sizeof text);
      if (f->headers_done) {
        snprintf(note, note_size, "%s while reading the body; the decision "
                 "uses the headers", text);
        return 0;
      }
      return fail(x, "%s while %s", text,
                  x->in.len == 0 ? "waiting for the response"
                                 : "reading headers");
    }
    double deadline = x->in.len == 0 ? first_deadline : total;
    int ready = wait_fd(x->fd, rc == IO_WANT_WRITE ? POLLOUT : POLLIN, deadline);
    if (ready < 0) return fail(x, "poll failed while reading the response");
    if (ready > 0) continue;
    double max_time = pick(o->max_time, LIVE_MAX_TIME);
    if (x->in.len == 0)
      return deadline_fail(x, "no response headers",
                           pick(o->first_byte_timeout, LIVE_FIRST_BYTE_TIMEOUT),
                           first_deadline, total, "first-byte");
    if (!f->headers_done)
      return fail(x, "response headers incomplete after %g s (whole-response "
                  "deadline)", max_time);
    snprintf(note, note_size, "the body did not end within %g s "
             "(whole-response deadline); the decision uses the headers",
             max_time);
    return 0;
  }
}

static int parse_answer(struct exchange *x, struct live_result *out) {
  struct http_response_limits lim = limits_of(&x->r->options);
  char msg[256];
  int rc = framer_answer(&x->f, x->in.data ? x->in.data : "", x->in.len, &lim,
                         out, msg, sizeof msg);
  if (rc == -2) return fail_oom(x);
  if (rc != 0) return fail(x, "invalid HTTP response: %s", msg);
  return 0;
}

/* ---- one exchange ---------------------------------------------------------------------------- */

void live_result_release(struct live_result *result) {
  if (result == NULL) return;
  http_response_release(&result->parsed_);
  free(result->store_);
  free(result->raw);
  memset(result, 0, sizeof *result);
}

int live_fetch(struct live_responder *r, const struct corsim_wire_request *w,
               struct live_result *out, char *err, size_t err_size) {
  memset(out, 0, sizeof *out);
  struct exchange x;
  memset(&x, 0, sizeof x);
  x.r = r;
  x.w = w;
  x.fd = -1;
  x.err = err;
  x.err_size = err_size;
  if (split_url(w->url, &x.t, err, err_size) != 0) return -1;
  snprintf(x.server, sizeof x.server, "%s", x.t.hostport);
  if (x.t.is_tls && r->tls_ == NULL)
    return fail(&x, "TLS is not set up (live_responder_init)");
  const struct live_options *o = &r->options;
  double start = now_seconds();
  double total = start + pick(o->max_time, LIVE_MAX_TIME);
  double connect_deadline =
      fmin(start + pick(o->connect_timeout, LIVE_CONNECT_TIMEOUT), total);
  struct bytes req = {NULL, 0, 0, false};
  int rc = open_connection(&x, connect_deadline, total);
  if (rc == 0 && x.t.is_tls)
    rc = tls_handshake(&x, fmin(now_seconds() + pick(o->tls_timeout,
                                                     LIVE_TLS_TIMEOUT),
                                total),
                       total);
  if (rc == 0) rc = build_request(&x, &req);
  double first_deadline =
      fmin(now_seconds() + pick(o->first_byte_timeout, LIVE_FIRST_BYTE_TIMEOUT),
           total);
  if (rc == 0) rc = send_request(&x, &req, first_deadline, total);
  if (rc == 0) {
    framer_init(&x.f, o->max_headers, o->max_header_bytes,
                strcmp(w->method, "HEAD") == 0);
    rc = read_answer(&x, first_deadline, total, out->note, sizeof out->note);
    if (rc == 0) rc = parse_answer(&x, out);
    framer_release(&x.f);
  }
  free(req.data);
  if (x.ssl != NULL) SSL_free(x.ssl);
  if (x.fd >= 0) close(x.fd);
  if (rc != 0) {
    free(x.in.data);
    live_result_release(out);
    return x.oom ? -2 : -1;
  }
  out->raw = x.in.data;
  out->raw_len = x.in.len;
  if (out->raw == NULL) {
    out->raw = calloc(1, 1);
    if (out->raw == NULL) {
      live_result_release(out);
      return -2;
    }
  }
  return 0;
}

/* ---- the responder ------------------------------------------------------------------------------ */

int live_responder_init(struct live_responder *r,
                        const struct live_options *options, char *err,
                        size_t err_size) {
  memset(r, 0, sizeof *r);
  if (options != NULL) r->options = *options;
  struct live_options *o = &r->options;
  if (o->resolve_count > 0) {
    r->resolve = calloc(o->resolve_count, sizeof *r->resolve);
    if (r->resolve == NULL) {
      snprintf(err, err_size, "out of memory");
      return -1;
    }
    for (size_t i = 0; i < o->resolve_count; i++)
      if (live_resolve_parse(o->resolve[i], &r->resolve[i], err, err_size) !=
          0) {
        free(r->resolve);
        memset(r, 0, sizeof *r);
        return -1;
      }
    r->resolve_count = o->resolve_count;
  }
  int index = BIO_get_new_index();
  BIO_METHOD *m = BIO_meth_new((index > 0 ? index : 0) | BIO_TYPE_SOURCE_SINK,
                               "corsim socket");
  if (m == NULL || BIO_meth_set_write_ex(m, bio_write_ex) != 1 ||
      BIO_meth_set_read_ex(m, bio_read_ex) != 1 ||
      BIO_meth_set_ctrl(m, bio_ctrl) != 1 ||
      BIO_meth_set_create(m, bio_create) != 1) {
    if (m) BIO_meth_free(m);
    free(r->resolve);
    memset(r, 0, sizeof *r);
    snprintf(err, err_size, "cannot set up TLS: out of memory");
    return -1;
  }
  r->bio_method_ = m;
  SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == NULL) {
    snprintf(err, err_size, "cannot set up TLS: out of memory");
    live_responder_release(r);
    return -1;
  }
  r->tls_ = ctx;
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  /* the HTTP framing says whether the answer was whole */
  SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
  static const unsigned char alpn[] = "\x08http/1.1";
  SSL_CTX_set_alpn_protos(ctx, alpn, sizeof alpn - 1);
  if (o->insecure) {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
  } else {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    ERR_clear_error();
    int ok = o->cacert != NULL
                 ? SSL_CTX_load_verify_locations(ctx, o->cacert, NULL)
                 : SSL_CTX_set_default_verify_paths(ctx);
    if (ok != 1) {
      unsigned long e = ERR_peek_last_error();
      const char *reason = e ? ERR_reason_error_string(e) : NULL;
      if (o->cacert != NULL)
        snprintf(err, err_size, "cannot load CA certificates from '%s': %s",
                 o->cacert, reason ? reason : "unknown error");
      else
        snprintf(err, err_size, "cannot load the system CA certificates: %s",
                 reason ? reason : "unknown error");
      ERR_clear_error();
      live_responder_release(r);
      return -1;
    }
  }
  return 0;
}

void live_responder_release(struct live_responder *r) {
  if (r == NULL) return;
  if (r->has_current_) live_result_release(&r->current_);
  for (size_t i = 0; i < r->exchange_count; i++) {
    free(r->exchanges[i].method);
    free(r->exchanges[i].url);
    live_result_release(&r->exchanges[i].result);
  }
  free(r->exchanges);
  if (r->tls_ != NULL) SSL_CTX_free(r->tls_);
  if (r->bio_method_ != NULL) BIO_meth_free(r->bio_method_);
  free(r->resolve);
  memset(r, 0, sizeof *r);
}

void live_responder_set_step(void *ctx, const char *file, const char *case_id,
                             size_t step) {
  struct live_responder *r = ctx;
  if (!r->options.replay) return;
  snprintf(r->replay_tag_, sizeof r->replay_tag_, "%s#%s#%zu", file,
           case_id ? case_id : "", step);
}

static bool record(struct live_responder *r,
                   const struct corsim_wire_request *w,
                   struct live_result *res) {
  if (r->exchange_count == r->exchange_cap_) {
    size_t cap = r->exchange_cap_ ? r->exchange_cap_ * 2 : 4;
    struct live_exchange *n = realloc(r->exchanges, cap * sizeof *n);
    if (n == NULL) return false;
    r->exchanges = n;
    r->exchange_cap_ = cap;
  }
  struct live_exchange *e = &r->exchanges[r->exchange_count];
  e->method = strdup(w->method);
  e->url = strdup(w->url);
  if (e->method == NULL || e->url == NULL) {
    free(e->method);
    free(e->url);
    return false;
  }
  e->is_preflight = w->is_preflight;
  e->result = *res;
  r->exchange_count++;
  return true;
}

enum corsim_status live_respond(void *ctx, const struct corsim_wire_request *w,
                                struct corsim_response *answer,
                                struct corsim_error *err) {
  struct live_responder *r = ctx;
  if (r->has_current_) {
    live_result_release(&r->current_);
    r->has_current_ = false;
  }
  struct live_result res;
  char msg[256];
  int rc = live_fetch(r, w, &res, msg, sizeof msg);
  enum corsim_status st = rc == -2 ? CORSIM_NO_MEMORY
                          : rc != 0 ? CORSIM_RESPONDER
                                    : CORSIM_OK;
  if (st == CORSIM_OK && r->options.replay) {
    /* harness/tests/servers/replay: no captured answer for this request */
    for (size_t i = 0; i < res.header_count; i++)
      if (strcasecmp(res.headers[i].name, "X-Corsim-Replay-Miss") == 0) {
        snprintf(msg, sizeof msg, "%s", res.headers[i].value);
        live_result_release(&res);
        st = CORSIM_NO_ANSWER;
        break;
      }
  }
  if (st != CORSIM_OK) {
    if (err != NULL) {
      err->status = st;
      snprintf(err->message, sizeof err->message, "%s",
               st == CORSIM_NO_MEMORY ? "out of memory" : msg);
    }
    return st;
  }
  const struct live_result *kept = &res;
  if (r->options.record) {
    if (!record(r, w, &res)) {
      live_result_release(&res);
      if (err != NULL) {
        err->status = CORSIM_NO_MEMORY;
        snprintf(err->message, sizeof err->message, "out of memory");
      }
      return CORSIM_NO_MEMORY;
    }
    kept = &r->exchanges[r->exchange_count - 1].result;
  } else {
    r->current_ = res;
    r->has_current_ = true;
    kept = &r->current_;
  }
  answer->status = kept->status;
  answer->headers.items = kept->headers;
  answer->headers.count = kept->header_count;
  return CORSIM_OK;
}
