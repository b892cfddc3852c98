/* test_live.c: unit tests of live mode (harness/live.c) against loopback
 * servers forked by each test: the exact request bytes, answer parsing
 * (and its agreement with http_response.c on every corpus capture, fed in
 * pieces of every size), deadlines, SIGPIPE, --resolve, the responder
 * under the simulator, and check.c's server fixes. Also the replay
 * differential over the corpus, which t_live.sh runs with a replay server
 * (CORSIM_REPLAY_PORT, CORSIM_REPLAY_LIST); without them it says so and
 * passes. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../check.h"
#include "../http_response.h"
#include "../live.h"
#include "../run.h"
#include "../testing/check.h"
#include "../vector.h"

/* ---- a one-shot loopback server in a child process ----------------------------- */

struct fake {
  pid_t pid;
  int port;
  int seen_fd; /* the request heads the server read, one after another */
};

enum fake_mode {
  FAKE_ANSWER,      /* read the request, send the answer, close */
  FAKE_SILENT,      /* read the request, then say nothing for 30 s */
  FAKE_RESET_EARLY  /* reset the connection before reading anything */
};

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Serves `answers` (NULL-terminated), one per connection, in order. */
static int fake_start(struct fake *f, enum fake_mode mode,
                      const char *const *answers) {
  int ports[2], seen[2];
  if (pipe(ports) != 0 || pipe(seen) != 0) return -1;
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    /* never outlive the test, however it ends (a failed ASSERT returns
     * before fake_stop): die with the parent, and in 25 s at most */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(0);
    alarm(25);
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
      dup2(null, 1);
      dup2(null, 2);
      close(null);
    }
    close(ports[0]);
    close(seen[0]);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 8) != 0)
      _exit(1);
    socklen_t len = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &len);
    int port = ntohs(a.sin_port);
    if (write(ports[1], &port, sizeof port) != sizeof port) _exit(1);
    for (size_t k = 0; mode != FAKE_ANSWER || answers[k] != NULL; k++) {
      int c = accept(fd, NULL, NULL);
      if (c < 0) _exit(1);
      if (mode == FAKE_RESET_EARLY) {
        struct linger l = {1, 0};
        setsockopt(c, SOL_SOCKET, SO_LINGER, &l, sizeof l);
        close(c);
        continue;
      }
      char buf[65536];
      size_t n = 0;
      while (n < sizeof buf - 1) {
        ssize_t k2 = recv(c, buf + n, sizeof buf - 1 - n, 0);
        if (k2 <= 0) break;
        n += (size_t)k2;
        buf[n] = '\0';
        if (strstr(buf, "\r\n\r\n") != NULL) break;
      }
      if (write(seen[1], buf, n) != (ssize_t)n || write(seen[1], "\n--\n", 4) != 4)
        _exit(1);
      if (mode == FAKE_SILENT) {
        sleep(30);
        _exit(0);
      }
      const char *ans = answers[k];
      if (send(c, ans, strlen(ans), MSG_NOSIGNAL) < 0) _exit(1);
      shutdown(c, SHUT_WR);
      while (recv(c, buf, sizeof buf, 0) > 0) continue;
      close(c);
    }
    _exit(0);
  }
  close(ports[1]);
  close(seen[1]);
  f->pid = pid;
  f->seen_fd = seen[0];
  int ok = read(ports[0], &f->port, sizeof f->port) == sizeof f->port;
  close(ports[0]);
  return ok ? 0 : -1;
}

static void fake_stop(struct fake *f) {
  kill(f->pid, SIGKILL);
  waitpid(f->pid, NULL, 0);
  close(f->seen_fd);
}

/* Everything the server has read so far (waits for the child to finish
 * the first request). */
static size_t fake_seen(struct fake *f, char *out, size_t n) {
  size_t len = 0;
  while (len < n - 1) {
    ssize_t k = read(f->seen_fd, out + len, n - 1 - len);
    if (k <= 0) break;
    len += (size_t)k;
    out[len] = '\0';
    if (strstr(out, "\n--\n") != NULL) break;
  }
  out[len] = '\0';
  char *end = strstr(out, "\n--\n");
  if (end != NULL) *end = '\0';
  return len;
}

static struct corsim_wire_request wire(const char *method, const char *url,
                                       const struct corsim_header *h,
                                       size_t n) {
  struct corsim_wire_request w;
  memset(&w, 0, sizeof w);
  w.method = method;
  w.url = url;
  w.headers.items = h;
  w.headers.count = n;
  return w;
}

#define H(n, v) {n, sizeof(n) - 1, v, sizeof(v) - 1}

/* ---- option parsing --------------------------------------------------------------- */

TEST(live_resolve_forms) {
  struct live_resolve r;
  char err[256];
  ASSERT_EQ_INT(live_resolve_parse("api.example:443:127.0.0.1", &r, err,
                                   sizeof err), 0);
  ASSERT_STR_EQ(r.host, "api.example");
  ASSERT_EQ_INT(r.port, 443);
  ASSERT_STR_EQ(r.addr, "127.0.0.1");
  ASSERT_EQ_INT(r.connect_port, 0);
  ASSERT_EQ_INT(live_resolve_parse("API.Example:443:127.0.0.1:8443", &r, err,
                                   sizeof err), 0);
  ASSERT_STR_EQ(r.host, "api.example");
  ASSERT_EQ_INT(r.connect_port, 8443);
  ASSERT_EQ_INT(live_resolve_parse("*:*:127.0.0.1:9000", &r, err, sizeof err),
                0);
  ASSERT_STR_EQ(r.host, "");
  ASSERT_EQ_INT(r.port, 0);
  ASSERT_EQ_INT(live_resolve_parse("[::1]:8080:::1", &r, err, sizeof err), 0);
  ASSERT_STR_EQ(r.host, "::1");
  ASSERT_STR_EQ(r.addr, "::1");
  ASSERT_EQ_INT(r.connect_port, 0);
  ASSERT_EQ_INT(live_resolve_parse("api.example:443:[::1]:8443", &r, err,
                                   sizeof err), 0);
  ASSERT_STR_EQ(r.addr, "::1");
  ASSERT_EQ_INT(r.connect_port, 8443);

  ASSERT_EQ_INT(live_resolve_parse("api.example:443", &r, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "invalid --resolve 'api.example:443': expected "
                     "HOST:PORT:ADDR[:PORT2]");
  ASSERT_EQ_INT(live_resolve_parse("api.example:0:127.0.0.1", &r, err,
                                   sizeof err), -1);
  ASSERT_STR_EQ(err, "invalid --resolve 'api.example:0:127.0.0.1': port '0' "
                     "is not 1-65535 or *");
  ASSERT_EQ_INT(live_resolve_parse("api.example:443:localhost", &r, err,
                                   sizeof err), -1);
  ASSERT_STR_EQ(err, "invalid --resolve 'api.example:443:localhost': "
                     "'localhost' is not a numeric IPv4 or IPv6 address");
  ASSERT_EQ_INT(live_resolve_parse(":443:127.0.0.1", &r, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "invalid --resolve ':443:127.0.0.1': no host before the "
                     "first ':'");
}

TEST(live_parse_seconds_bounds) {
  double v = 0;
  ASSERT_TRUE(live_parse_seconds("5", &v));
  ASSERT_TRUE(v == 5.0);
  ASSERT_TRUE(live_parse_seconds("0.25", &v));
  ASSERT_TRUE(v == 0.25);
  ASSERT_FALSE(live_parse_seconds("0", &v));
  ASSERT_FALSE(live_parse_seconds("-1", &v));
  ASSERT_FALSE(live_parse_seconds("5s", &v));
  ASSERT_FALSE(live_parse_seconds("", &v));
  ASSERT_FALSE(live_parse_seconds("nan", &v));
}

TEST(live_init_rejects_bad_options) {
  struct live_responder r;
  char err[256];
  const char *bad[] = {"nope"};
  struct live_options o;
  memset(&o, 0, sizeof o);
  o.resolve = bad;
  o.resolve_count = 1;
  ASSERT_EQ_INT(live_responder_init(&r, &o, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "invalid --resolve 'nope': expected HOST:PORT:ADDR[:PORT2]");
  memset(&o, 0, sizeof o);
  o.cacert = "/nonexistent/ca.pem";
  ASSERT_EQ_INT(live_responder_init(&r, &o, err, sizeof err), -1);
  ASSERT_TRUE(strncmp(err, "cannot load CA certificates from "
                           "'/nonexistent/ca.pem': ", 55) == 0);
}

/* ---- what goes on the wire ---------------------------------------------------------- */

static const char ok_answer[] =
    "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n"
    "Content-Length: 2\r\n\r\nok";

TEST(live_sends_exactly_the_wire_request) {
  const char *answers[] = {ok_answer, ok_answer, ok_answer, NULL};
  struct fake f;
  ASSERT_EQ_INT(fake_start(&f, FAKE_ANSWER, answers), 0);
  struct live_responder r;
  char err[256], url[256], seen[65536], want[1024];
  ASSERT_EQ_INT(live_responder_init(&r, NULL, err, sizeof err), 0);
  struct corsim_header h[] = {H("X-B", "2"), H("x-a", "1"),
                              H("Origin", "https://app.example")};
  /* POST: Content-Length: 0 (fetch: a null body, POST or PUT); the
   * fragment never goes on the wire */
  snprintf(url, sizeof url, "http://127.0.0.1:%d/p/q?x=1&y=%%20#frag", f.port);
  struct corsim_wire_request w = wire("POST", url, h, 3);
  struct live_result res;
  ASSERT_EQ_INT(live_fetch(&r, &w, &res, err, sizeof err), 0);
  fake_seen(&f, seen, sizeof seen);
  snprintf(want, sizeof want,
           "POST /p/q?x=1&y=%%20 HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nX-B: 2\r\n"
           "x-a: 1\r\nOrigin: https://app.example\r\nContent-Length: 0\r\n"
           "Connection: close\r\n\r\n", f.port);
  ASSERT_STR_EQ(seen, want);
  ASSERT_EQ_INT(res.status, 200);
  ASSERT_EQ_INT(res.header_count, 2);
  ASSERT_STR_EQ(res.headers[0].name, "Access-Control-Allow-Origin");
  ASSERT_STR_EQ(res.headers[1].value, "2");
  ASSERT_TRUE(res.is_whole);
  ASSERT_EQ_INT(res.raw_len, sizeof ok_answer - 1);
  ASSERT_MEM_EQ(res.raw, ok_answer, res.raw_len);
  ASSERT_STR_EQ(res.note, "");
  live_result_release(&res);

  /* OPTIONS: no Content-Length; no path is "/" */
  snprintf(url, sizeof url, "http://127.0.0.1:%d", f.port);
  w = wire("OPTIONS", url, h + 2, 1);
  ASSERT_EQ_INT(live_fetch(&r, &w, &res, err, sizeof err), 0);
  fake_seen(&f, seen, sizeof seen);
  snprintf(want, sizeof want,
           "OPTIONS / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
           "Origin: https://app.example\r\nConnection: close\r\n\r\n", f.port);
  ASSERT_STR_EQ(seen, want);
  live_result_release(&res);
  live_responder_release(&r);

  /* --resolve: the Host header keeps the URL's host; userinfo is dropped */
  char spec[64];
  snprintf(spec, sizeof spec, "api.example:8080:127.0.0.1:%d", f.port);
  const char *specs[] = {spec};
  struct live_options o;
  memset(&o, 0, sizeof o);
  o.resolve = specs;
  o.resolve_count = 1;
  ASSERT_EQ_INT(live_responder_init(&r, &o, err, sizeof err), 0);
  w = wire("GET", "http://user:pw@api.example:8080/x", NULL, 0);
  ASSERT_EQ_INT(live_fetch(&r, &w, &res, err, sizeof err), 0);
  fake_seen(&f, seen, sizeof seen);
  ASSERT_STR_EQ(seen, "GET /x HTTP/1.1\r\nHost: api.example:8080\r\n"
                      "Connection: close\r\n\r\n");
  live_result_release(&res);
  live_responder_release(&r);
  fake_stop(&f);
}

TEST(live_refuses_to_send_a_broken_field) {
  struct live_responder r;
  char err[256];
  ASSERT_EQ_INT(live_responder_init(&r, NULL, err, sizeof err), 0);
  struct corsim_header h[] = {H("X-A", "1\r\nX-Injected: 1")};
  struct corsim_wire_request w = wire("GET", "http://127.0.0.1:9/", h, 1);
  struct live_result res;
  /* port 9 (discard) is closed here: either way nothing is sent */
  ASSERT_EQ_INT(live_fetch(&r, &w, &res, err, sizeof err), -1);
  ASSERT_TRUE(strstr(err, "127.0.0.1:9: ") == err);
  w = wire("GET", "ftp://127.0.0.1/", NULL, 0);
  ASSERT_EQ_INT(live_fetch(&r, &w, &res, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "cannot fetch 'ftp://127.0.0.1/' live: only http and "
                     "https URLs go on the wire");
  live_responder_release(&r);
}

/* ---- how answers are read ----------------------------------------------------------- */

static int parse(const char *bytes, size_t chunk, bool is_head,
                 struct live_result *out, char *err) {
  return live_parse_answer(bytes, strlen(bytes), chunk, is_head, NULL, out,
                           err, 256);
}

TEST(live_answers_without_a_whole_body) {
  struct live_result res;
  char err[256];
  /* HEAD, 204 and 304 end with their headers (RFC 9112 section 6.3) */
  ASSERT_EQ_INT(parse("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nX: y\r\n\r\n",
                      0, true, &res, err), 0);
  ASSERT_EQ_INT(res.status, 200);
  ASSERT_EQ_INT(res.header_count, 2);
  ASSERT_STR_EQ(res.headers[1].name, "X");
  ASSERT_FALSE(res.is_whole);
  live_result_release(&res);
  ASSERT_EQ_INT(parse("HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n",
                      0, false, &res, err), 0);
  ASSERT_EQ_INT(res.status, 304);
  live_result_release(&res);
  /* a body cut short: the headers still count */
  ASSERT_EQ_INT(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                      "Access-Control-Allow-Origin: *  \r\n\r\n1000\r\nabc",
                      0, false, &res, err), 0);
  ASSERT_EQ_INT(res.header_count, 2);
  ASSERT_STR_EQ(res.headers[1].value, "*"); /* trailing OWS dropped */
  ASSERT_FALSE(res.is_whole);
  live_result_release(&res);
  /* a whole answer, after an interim one, with bare LFs */
  ASSERT_EQ_INT(parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\n"
                      "A: 1\nContent-Length: 3\n\nabc", 1, false, &res, err), 0);
  ASSERT_EQ_INT(res.status, 201);
  ASSERT_EQ_INT(res.header_count, 2);
  ASSERT_TRUE(res.is_whole);
  live_result_release(&res);
}

TEST(live_answer_errors_read_like_http_response) {
  struct live_result res;
  char err[256];
  ASSERT_EQ_INT(parse("SSH-2.0-OpenSSH_9.2\r\n", 0, false, &res, err), -1);
  ASSERT_STR_EQ(err, "HPE_INVALID_CONSTANT at byte 0: Expected HTTP/");
  ASSERT_EQ_INT(parse("HTTP/1.1 200 OK\r\nX-A: 1\r\n", 0, false, &res, err), -1);
  ASSERT_STR_EQ(err, "HPE_INVALID_EOF_STATE at byte 25: response ends inside "
                     "the headers");
  ASSERT_EQ_INT(parse("HTTP/1.1 200 OK\r\n: v\r\n\r\n", 0, false, &res, err), -1);
  ASSERT_STR_EQ(err, "empty header name at byte 17");
  struct http_response_limits lim = {2, 0};
  const char *three = "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n";
  ASSERT_EQ_INT(live_parse_answer(three, strlen(three), 0, false, &lim, &res,
                                  err, sizeof err), -1);
  ASSERT_STR_EQ(err, "more than 2 header lines at byte 29");
}

/* Every capture of the corpus (and of the HTTP tests) reads the same
 * through live mode as through http_response_parse(), whole and fed one to
 * 64 bytes at a time, with two differences by design: a body cut short
 * still gives the headers (a browser decides on them), and curl's
 * "HTTP/2 200" status lines are not rewritten (no server sends them on an
 * HTTP/1.1 connection). */
static bool is_curl_h2(const char *buf, size_t len) {
  return len >= 7 && (memcmp(buf, "HTTP/2 ", 7) == 0 ||
                      memcmp(buf, "HTTP/3 ", 7) == 0);
}

static void walk(const char *dir, int *failed, size_t *files) {
  DIR *d = opendir(dir);
  if (d == NULL) return;
  for (;;) {
    const struct dirent *e = readdir(d);
    if (e == NULL) break;
    if (e->d_name[0] == '.') continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    struct stat st;
    if (stat(path, &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      walk(path, failed, files);
      continue;
    }
    size_t n = strlen(path);
    if (n < 5 || strcmp(path + n - 5, ".http") != 0) continue;
    FILE *f = fopen(path, "rb");
    if (f == NULL) continue;
    char *buf = malloc((size_t)st.st_size + 1);
    size_t len = buf ? fread(buf, 1, (size_t)st.st_size, f) : 0;
    fclose(f);
    if (buf == NULL) continue;
    if (is_curl_h2(buf, len)) {
      free(buf);
      continue;
    }
    struct http_response want;
    char e1[256], e2[256];
    int r1 = http_response_parse(buf, len, 0, NULL, &want, e1, sizeof e1);
    bool cut = r1 != 0 && strstr(e1, "response ends inside the body") != NULL;
    (*files)++;
    for (size_t chunk = 0; chunk <= 64; chunk++) {
      struct live_result got;
      int r2 = live_parse_answer(buf, len, chunk, false, NULL, &got, e2,
                                 sizeof e2);
      bool same;
      if (cut)
        same = r2 == 0 && !got.is_whole;
      else if (r1 != 0)
        same = r2 == r1 && strcmp(e1, e2) == 0;
      else
        same = r2 == 0 && got.is_whole && got.status == want.status &&
               got.header_count == want.header_count;
      for (size_t i = 0; same && r1 == 0 && i < got.header_count; i++)
        same = strcmp(got.headers[i].name, want.headers[i].name) == 0 &&
               got.headers[i].value_len == want.headers[i].value_len &&
               memcmp(got.headers[i].value, want.headers[i].value,
                      got.headers[i].value_len) == 0;
      if (!same) {
        fprintf(stderr, "  %s (chunk %zu): http_response %d '%s', live %d "
                "'%s'\n", path, chunk, r1, r1 ? e1 : "", r2, r2 ? e2 : "");
        *failed = 1;
        if (r2 == 0) live_result_release(&got);
        break;
      }
      if (r2 == 0) live_result_release(&got);
    }
    if (r1 == 0) http_response_release(&want);
    free(buf);
  }
  closedir(d);
}

TEST(live_reads_every_capture_like_http_response) {
  size_t files = 0;
  walk("vectors", check_failed_, &files);
  walk("harness/tests", check_failed_, &files);
  ASSERT_TRUE(files > 0);
}

/* ---- deadlines, resets, SIGPIPE -------------------------------------------------------- */

TEST(live_first_byte_deadline) {
  struct fake f;
  ASSERT_EQ_INT(fake_start(&f, FAKE_SILENT, NULL), 0);
  struct live_options o;
  memset(&o, 0, sizeof o);
  o.first_byte_timeout = 0.3;
  struct live_responder r;
  char err[256], url[128], want[256];
  ASSERT_EQ_INT(live_responder_init(&r, &o, err, sizeof err), 0);
  snprintf(url, sizeof url, "http://127.0.0.1:%d/", f.port);
  struct corsim_wire_request w = wire("GET", url, NULL, 0);
  struct live_result res;
  double t0 = now_s();
  ASSERT_EQ_INT(live_fetch(&r, &w, &res, err, sizeof err), -1);
  double took = now_s() - t0;
  snprintf(want, sizeof want, "127.0.0.1:%d: no response headers within 0.3 s "
           "(first-byte deadline)", f.port);
  ASSERT_STR_EQ(err, want);
  ASSERT_TRUE(took >= 0.29 && took < 1.3);
  live_responder_release(&r);
  fake_stop(&f);
}

TEST(live_connection_refused) {
  /* a port nobody listens on: bind one, then close it */
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ_INT(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
  socklen_t len = sizeof a;
  getsockname(fd, (struct sockaddr *)&a, &len);
  int port = ntohs(a.sin_port);
  close(fd);
  struct live_responder r;
  char err[256], url[128], want[256];
  ASSERT_EQ_INT(live_responder_init(&r, NULL, err, sizeof err), 0);
  snprintf(url, sizeof url, "https://127.0.0.1:%d/", port);
  struct corsim_wire_request w = wire("GET", url, NULL, 0);
  struct live_result res;
  ASSERT_EQ_INT(live_fetch(&r, &w, &res, err, sizeof err), -1);
  snprintf(want, sizeof want, "127.0.0.1:%d: cannot connect: connection "
           "refused", port);
  ASSERT_STR_EQ(err, want);
  live_responder_release(&r);
}

TEST(live_reset_while_sending_is_no_sigpipe) {
  struct fake f;
  ASSERT_EQ_INT(fake_start(&f, FAKE_RESET_EARLY, NULL), 0);
  /* a request far larger than the socket buffers, so the writes meet the
   * reset: without MSG_NOSIGNAL this process would die of SIGPIPE */
  static char big[200000];
  memset(big, 'v', sizeof big - 1);
  struct corsim_header h[] = {{"X-Big", 5, big, sizeof big - 1}};
  struct live_responder r;
  char err[256], url[128];
  ASSERT_EQ_INT(live_responder_init(&r, NULL, err, sizeof err), 0);
  snprintf(url, sizeof url, "http://127.0.0.1:%d/", f.port);
  struct corsim_wire_request w = wire("GET", url, h, 1);
  struct live_result res;
  for (int i = 0; i < 3; i++) {
    ASSERT_EQ_INT(live_fetch(&r, &w, &res, err, sizeof err), -1);
    ASSERT_TRUE(strstr(err, "connection reset by peer") != NULL ||
                strstr(err, "broken pipe") != NULL ||
                strstr(err, "closed by the server") != NULL);
  }
  live_responder_release(&r);
  fake_stop(&f);
}

/* ---- the responder under the simulator ----------------------------------------------------- */

TEST(live_responder_runs_a_preflighted_fetch) {
  const char *answers[] = {
      "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: "
      "https://app.example\r\nAccess-Control-Allow-Methods: PUT\r\n"
      "Access-Control-Allow-Headers: x-token\r\n\r\n",
      "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://app.example\r\n"
      "Content-Type: text/plain\r\nContent-Length: 0\r\n\r\n",
      NULL};
  struct fake f;
  ASSERT_EQ_INT(fake_start(&f, FAKE_ANSWER, answers), 0);
  struct live_options o;
  memset(&o, 0, sizeof o);
  o.record = true;
  struct live_responder r;
  char err[256], url[128], seen[65536];
  ASSERT_EQ_INT(live_responder_init(&r, &o, err, sizeof err), 0);
  snprintf(url, sizeof url, "http://127.0.0.1:%d/item", f.port);
  struct corsim_header h[] = {H("X-Token", "t")};
  struct corsim_request rq;
  memset(&rq, 0, sizeof rq);
  rq.origin = "https://app.example";
  rq.url = url;
  rq.method = "PUT";
  rq.headers.items = h;
  rq.headers.count = 1;
  rq.mode = CORSIM_MODE_CORS;
  rq.credentials = CORSIM_CREDENTIALS_SAME_ORIGIN;
  struct corsim_options co;
  memset(&co, 0, sizeof co);
  co.profile = CORSIM_PROFILE_FIREFOX; /* Chromium's LNA would refuse 127.0.0.1 */
  struct corsim_browser *b = NULL;
  struct corsim_error cerr;
  ASSERT_EQ_INT(corsim_browser_new(&co, &b, &cerr), CORSIM_OK);
  struct corsim_decision d;
  enum corsim_status st = corsim_browser_fetch(b, 0, &rq, live_respond, &r,
                                               &d, &cerr);
  corsim_browser_free(b);
  ASSERT_EQ_INT(st, CORSIM_OK);
  ASSERT_EQ_INT(d.outcome, CORSIM_OUTCOME_ALLOWED);
  ASSERT_EQ_INT(d.preflight, CORSIM_PREFLIGHT_SENT);
  ASSERT_EQ_INT(d.exposed_header_count, 2); /* both CORS-safelisted */
  ASSERT_STR_EQ(d.exposed_headers[0], "content-length");
  ASSERT_STR_EQ(d.exposed_headers[1], "content-type");
  corsim_decision_release(&d);
  ASSERT_EQ_INT(r.exchange_count, 2);
  ASSERT_TRUE(r.exchanges[0].is_preflight);
  ASSERT_STR_EQ(r.exchanges[0].method, "OPTIONS");
  ASSERT_TRUE(r.exchanges[0].result.is_whole);
  ASSERT_STR_EQ(r.exchanges[1].method, "PUT");
  ASSERT_TRUE(r.exchanges[1].result.is_whole);
  fake_seen(&f, seen, sizeof seen);
  ASSERT_TRUE(strncmp(seen, "OPTIONS /item HTTP/1.1\r\n", 24) == 0);
  ASSERT_TRUE(strstr(seen, "Access-Control-Request-Method: PUT\r\n") != NULL);
  live_responder_release(&r);
  fake_stop(&f);
}

TEST(live_responder_failure_is_corsim_responder) {
  struct fake f;
  ASSERT_EQ_INT(fake_start(&f, FAKE_SILENT, NULL), 0);
  struct live_options o;
  memset(&o, 0, sizeof o);
  o.first_byte_timeout = 0.2;
  struct live_responder r;
  char err[256], url[128];
  ASSERT_EQ_INT(live_responder_init(&r, &o, err, sizeof err), 0);
  snprintf(url, sizeof url, "http://127.0.0.1:%d/", f.port);
  struct corsim_wire_request w = wire("GET", url, NULL, 0);
  struct corsim_response ans;
  struct corsim_error cerr;
  memset(&cerr, 0, sizeof cerr);
  ASSERT_EQ_INT(live_respond(&r, &w, &ans, &cerr), CORSIM_RESPONDER);
  ASSERT_EQ_INT(cerr.status, CORSIM_RESPONDER);
  ASSERT_TRUE(strstr(cerr.message, "(first-byte deadline)") != NULL);
  live_responder_release(&r);
  fake_stop(&f);
}

/* ---- check.c: what to change on the server ---------------------------------------------------- */

static size_t fix_for(enum corsim_cors_error e, char *param, int status,
                      enum corsim_credentials cred, char *out, size_t n) {
  static char origin[] = "https://app.example";
  struct corsim_request rq;
  memset(&rq, 0, sizeof rq);
  rq.origin = origin;
  rq.method = "PUT";
  rq.credentials = cred;
  struct corsim_decision d;
  memset(&d, 0, sizeof d);
  d.outcome = CORSIM_OUTCOME_BLOCKED;
  d.blocked_reason = CORSIM_BLOCKED_CORS;
  d.cors_error = e;
  d.failed_parameter = param;
  d.failed_response_status = status;
  d.origin = origin;
  return check_server_fix(&rq, &d, out, n);
}

TEST(check_server_fix_is_concrete) {
  char out[512];
  char token[] = "x-token", method[] = "PATCH", acao[] = "https://other.example";
  fix_for(CORSIM_CORS_ERROR_HEADER_DISALLOWED_BY_PREFLIGHT_RESPONSE, token, 204,
          CORSIM_CREDENTIALS_SAME_ORIGIN, out, sizeof out);
  ASSERT_STR_EQ(out, "add 'x-token' to Access-Control-Allow-Headers on the "
                     "OPTIONS response");
  fix_for(CORSIM_CORS_ERROR_METHOD_DISALLOWED_BY_PREFLIGHT_RESPONSE, method,
          204, CORSIM_CREDENTIALS_SAME_ORIGIN, out, sizeof out);
  ASSERT_STR_EQ(out, "add 'PATCH' to Access-Control-Allow-Methods on the "
                     "OPTIONS response (methods compare case-sensitively)");
  fix_for(CORSIM_CORS_ERROR_MISSING_ALLOW_ORIGIN_HEADER, NULL, 500,
          CORSIM_CREDENTIALS_SAME_ORIGIN, out, sizeof out);
  ASSERT_STR_EQ(out, "send Access-Control-Allow-Origin: https://app.example "
                     "(or *) on this response; it came back 500 without one");
  fix_for(CORSIM_CORS_ERROR_MISSING_ALLOW_ORIGIN_HEADER, NULL, 200,
          CORSIM_CREDENTIALS_INCLUDE, out, sizeof out);
  ASSERT_TRUE(strstr(out, "(not *: the request carries credentials)") != NULL);
  fix_for(CORSIM_CORS_ERROR_PREFLIGHT_INVALID_STATUS, NULL, 401,
          CORSIM_CREDENTIALS_SAME_ORIGIN, out, sizeof out);
  ASSERT_STR_EQ(out, "answer OPTIONS with 200 or 204 (status 401 now), without "
                     "requiring authentication: a preflight never carries "
                     "credentials");
  fix_for(CORSIM_CORS_ERROR_ALLOW_ORIGIN_MISMATCH, acao, 200,
          CORSIM_CREDENTIALS_SAME_ORIGIN, out, sizeof out);
  ASSERT_STR_EQ(out, "send Access-Control-Allow-Origin: https://app.example "
                     "(it sends 'https://other.example'); origins compare "
                     "byte for byte, scheme and port included");
  /* without the parameter, the other template */
  fix_for(CORSIM_CORS_ERROR_INVALID_ALLOW_CREDENTIALS, NULL, 200,
          CORSIM_CREDENTIALS_INCLUDE, out, sizeof out);
  ASSERT_STR_EQ(out, "send Access-Control-Allow-Credentials: true on this "
                     "response (it has none), or make the request without "
                     "credentials");
  /* no template: the library's advice */
  fix_for(CORSIM_CORS_ERROR_REDIRECT_CONTAINS_CREDENTIALS, NULL, 302,
          CORSIM_CREDENTIALS_SAME_ORIGIN, out, sizeof out);
  ASSERT_STR_EQ(out, corsim_cors_error_advice(
                         CORSIM_CORS_ERROR_REDIRECT_CONTAINS_CREDENTIALS)->fix);
}

TEST(check_server_fix_outside_cors) {
  char out[256];
  struct corsim_request rq;
  memset(&rq, 0, sizeof rq);
  struct corsim_decision d;
  memset(&d, 0, sizeof d);
  d.outcome = CORSIM_OUTCOME_ALLOWED;
  ASSERT_EQ_INT(check_server_fix(&rq, &d, out, sizeof out), 0);
  ASSERT_STR_EQ(out, "");
  d.outcome = CORSIM_OUTCOME_BLOCKED;
  d.blocked_reason = CORSIM_BLOCKED_MIXED_CONTENT;
  ASSERT_TRUE(check_server_fix(&rq, &d, out, sizeof out) > 0);
  ASSERT_STR_EQ(out, corsim_blocked_reason_advice(
                         CORSIM_BLOCKED_MIXED_CONTENT)->fix);
  /* truncated to fit, the length it needed returned */
  char tiny[8];
  size_t need = check_server_fix(&rq, &d, tiny, sizeof tiny);
  ASSERT_EQ_INT(need, strlen(out));
  ASSERT_EQ_INT(strlen(tiny), 7);
}

/* ---- the replay differential ------------------------------------------------------------------ */

static bool same_str(const char *a, const char *b) {
  return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

static bool same_owned(const struct corsim_owned_header *a, size_t an,
                       const struct corsim_owned_header *b, size_t bn) {
  if (an != bn) return false;
  for (size_t i = 0; i < an; i++)
    if (!same_str(a[i].name, b[i].name) || !same_str(a[i].value, b[i].value))
      return false;
  return true;
}

/* The first field in which two decisions differ, or NULL. */
static const char *decision_diff(const struct corsim_decision *a,
                                 const struct corsim_decision *b) {
  if (a->outcome != b->outcome) return "outcome";
  if (a->blocked_reason != b->blocked_reason) return "blocked_reason";
  if (a->cors_error != b->cors_error) return "cors_error";
  if (!same_str(a->failed_parameter, b->failed_parameter))
    return "failed_parameter";
  if (a->preflight != b->preflight) return "preflight";
  if (a->response_type != b->response_type) return "response_type";
  if (a->status != b->status) return "status";
  if (a->failed_response_status != b->failed_response_status)
    return "failed_response_status";
  if (a->allow_origin_lines != b->allow_origin_lines)
    return "allow_origin_lines";
  if (!same_str(a->detail, b->detail)) return "detail";
  if (a->has_preflight_request != b->has_preflight_request ||
      !same_owned(a->preflight_request_headers,
                  a->preflight_request_header_count,
                  b->preflight_request_headers,
                  b->preflight_request_header_count))
    return "preflight_request_headers";
  if (a->has_request != b->has_request ||
      !same_owned(a->request_headers, a->request_header_count,
                  b->request_headers, b->request_header_count))
    return "request_headers";
  if (a->exposed_header_count != b->exposed_header_count)
    return "exposed_headers";
  for (size_t i = 0; i < a->exposed_header_count; i++)
    if (strcmp(a->exposed_headers[i], b->exposed_headers[i]) != 0)
      return "exposed_headers";
  if (a->hop_count != b->hop_count) return "hops";
  for (size_t i = 0; i < a->hop_count; i++)
    if (!same_str(a->hops[i].url, b->hops[i].url) ||
        a->hops[i].status != b->hops[i].status)
      return "hops";
  if (a->trace_count != b->trace_count) return "trace";
  for (size_t i = 0; i < a->trace_count; i++)
    if (!same_str(a->trace[i].text, b->trace[i].text) ||
        a->trace[i].kind != b->trace[i].kind)
      return "trace";
  return NULL;
}

TEST(live_replay_differential) {
  const char *port = getenv("CORSIM_REPLAY_PORT");
  const char *list = getenv("CORSIM_REPLAY_LIST");
  if (port == NULL || list == NULL) {
    fprintf(stderr, "  # live_replay_differential: skipped, CORSIM_REPLAY_PORT "
            "and CORSIM_REPLAY_LIST not set (harness/tests/t_live.sh sets "
            "them)\n");
    return;
  }
  FILE *lf = fopen(list, "r");
  ASSERT_NOT_NULL(lf);
  char spec[64];
  snprintf(spec, sizeof spec, "*:*:127.0.0.1:%s", port);
  const char *specs[] = {spec};
  struct live_options o;
  memset(&o, 0, sizeof o);
  o.insecure = true;
  o.replay = true;
  o.resolve = specs;
  o.resolve_count = 1;
  struct live_responder r;
  char err[256];
  ASSERT_EQ_INT(live_responder_init(&r, &o, err, sizeof err), 0);
  size_t steps = 0, differ = 0;
  char path[4096];
  while (fgets(path, sizeof path, lf) != NULL) {
    path[strcspn(path, "\n")] = '\0';
    if (path[0] == '\0') continue;
    struct vector_file vf;
    if (vector_load_file(path, NULL, NULL, &vf) == -2) continue;
    for (size_t ci = 0; ci < vf.case_count; ci++) {
      const struct vector_case *vc = &vf.cases[ci];
      if (vc->error != NULL) continue;
      struct run_case rc;
      if (run_case(&vf, vc, vc->profile, NULL, &rc) != 0) continue;
      struct corsim_options co;
      memset(&co, 0, sizeof co);
      co.profile = vc->profile;
      struct corsim_browser *b = NULL;
      struct corsim_error cerr;
      if (corsim_browser_new(&co, &b, &cerr) != CORSIM_OK) {
        run_case_release(&rc);
        continue;
      }
      for (size_t si = 0; si < vc->step_count; si++) {
        const struct step_result *sr = &rc.steps[si];
        const struct vector_step *s = &vc->steps[si];
        if (sr->status == RESULT_SKIP || s->live) break;
        live_responder_set_step(&r, path, vc->id, si);
        struct corsim_decision d;
        memset(&cerr, 0, sizeof cerr);
        enum corsim_status st =
            corsim_browser_fetch(b, s->at, &s->request, live_respond, &r, &d,
                                 &cerr);
        steps++;
        const char *diff = NULL;
        if (st != CORSIM_OK)
          diff = rc.has_decision[si] ? cerr.message : NULL;
        else if (!rc.has_decision[si])
          diff = "captured mode had no decision";
        else
          diff = decision_diff(&rc.decisions[si], &d);
        if (diff != NULL) {
          if (differ < 30)
            fprintf(stderr, "  %s: %s steps[%zu]: %s\n", path, vc->id, si,
                    diff);
          differ++;
        }
        if (st == CORSIM_OK) corsim_decision_release(&d);
        if (st != CORSIM_OK) break;
      }
      corsim_browser_free(b);
      run_case_release(&rc);
    }
    vector_file_release(&vf);
  }
  fclose(lf);
  live_responder_release(&r);
  fprintf(stderr, "  # live_replay_differential: %zu steps, %zu differ\n",
          steps, differ);
  ASSERT_TRUE(steps > 0);
  ASSERT_EQ_INT(differ, 0);
}
