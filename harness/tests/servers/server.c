/* server.c: the listening, threading, TLS and request-reading code that the
 * loopback test servers (replay, hostile) share. */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/err.h>

#define HEAD_MAX (64 * 1024)

int server_listen(struct server *s, int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    perror("socket");
    return -1;
  }
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((unsigned short)port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 128) != 0) {
    perror("bind/listen");
    close(fd);
    return -1;
  }
  socklen_t len = sizeof a;
  getsockname(fd, (struct sockaddr *)&a, &len);
  printf("%d\n", ntohs(a.sin_port));
  fflush(stdout);
  s->listen_fd = fd;
  return 0;
}

SSL_CTX *server_tls_context(const char *cert, const char *key) {
  SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == NULL || SSL_CTX_use_certificate_chain_file(ctx, cert) != 1 ||
      SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
    fprintf(stderr, "server: cannot load '%s' / '%s'\n", cert, key);
    ERR_print_errors_fp(stderr);
    if (ctx) SSL_CTX_free(ctx);
    return NULL;
  }
  return ctx;
}

struct job {
  struct server *s;
  int fd;
};

static void set_timeouts(int fd, int seconds) {
  struct timeval tv = {seconds, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

static void *conn_thread(void *arg) {
  struct job *j = arg;
  struct server_conn c = {j->fd, NULL, -1};
  set_timeouts(c.fd, 10);
  unsigned char b;
  if (recv(c.fd, &b, 1, MSG_PEEK) == 1) c.first_byte = b;
  if (c.first_byte == 0x16 && j->s->tls != NULL) {
    c.ssl = SSL_new(j->s->tls);
    if (c.ssl == NULL || SSL_set_fd(c.ssl, c.fd) != 1 ||
        SSL_accept(c.ssl) != 1) {
      /* the client refused our certificate, or went away */
      if (c.ssl) SSL_free(c.ssl);
      close(c.fd);
      free(j);
      ERR_clear_error();
      return NULL;
    }
  }
  j->s->handle(&c, j->s->ctx);
  free(j);
  return NULL;
}

void server_run(struct server *s) {
  for (;;) {
    int fd = accept(s->listen_fd, NULL, NULL);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      perror("accept");
      return;
    }
    struct job *j = malloc(sizeof *j);
    if (j == NULL) {
      close(fd);
      continue;
    }
    j->s = s;
    j->fd = fd;
    pthread_t th;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&th, &attr, conn_thread, j) != 0) {
      close(fd);
      free(j);
    }
    pthread_attr_destroy(&attr);
  }
}

static int conn_recv(struct server_conn *c, char *p, size_t n) {
  if (c->ssl != NULL) {
    int k = SSL_read(c->ssl, p, (int)n);
    return k > 0 ? k : -1;
  }
  ssize_t k = recv(c->fd, p, n, 0);
  return k > 0 ? (int)k : -1;
}

static void trim(char *s) {
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
    s[--n] = '\0';
  size_t i = 0;
  while (s[i] == ' ' || s[i] == '\t') i++;
  if (i > 0) memmove(s, s + i, n - i + 1);
}

int server_read_request(struct server_conn *c, struct server_request *out) {
  memset(out, 0, sizeof *out);
  char *buf = malloc(HEAD_MAX + 1);
  if (buf == NULL) return -1;
  size_t len = 0;
  char *end = NULL;
  while (end == NULL) {
    if (len == HEAD_MAX) {
      free(buf);
      return -1;
    }
    int k = conn_recv(c, buf + len, HEAD_MAX - len);
    if (k <= 0) {
      free(buf);
      return -1;
    }
    len += (size_t)k;
    buf[len] = '\0';
    end = strstr(buf, "\r\n\r\n");
  }
  *end = '\0';
  char *line = buf;
  char *eol = strstr(line, "\r\n");
  if (eol) *eol = '\0';
  if (sscanf(line, "%31s %8191s", out->method, out->target) != 2) {
    free(buf);
    return -1;
  }
  while (eol != NULL) {
    line = eol + 2;
    eol = strstr(line, "\r\n");
    if (eol) *eol = '\0';
    char *colon = strchr(line, ':');
    if (colon == NULL || out->header_count == SERVER_MAX_HEADERS) continue;
    *colon = '\0';
    snprintf(out->headers[out->header_count].name,
             sizeof out->headers[0].name, "%s", line);
    snprintf(out->headers[out->header_count].value,
             sizeof out->headers[0].value, "%s", colon + 1);
    trim(out->headers[out->header_count].value);
    out->header_count++;
  }
  free(buf);
  return 0;
}

const char *server_header(const struct server_request *r, const char *name) {
  for (size_t i = 0; i < r->header_count; i++)
    if (strcasecmp(r->headers[i].name, name) == 0) return r->headers[i].value;
  return NULL;
}

int server_write(struct server_conn *c, const void *p, size_t n) {
  const char *b = p;
  while (n > 0) {
    ssize_t k;
    if (c->ssl != NULL) {
      int w = SSL_write(c->ssl, b, n > 65536 ? 65536 : (int)n);
      k = w > 0 ? w : -1;
    } else {
      k = send(c->fd, b, n, MSG_NOSIGNAL);
    }
    if (k <= 0) return -1;
    b += k;
    n -= (size_t)k;
  }
  return 0;
}

int server_puts(struct server_conn *c, const char *s) {
  return server_write(c, s, strlen(s));
}

void server_stall(struct server_conn *c, int seconds) {
  for (int i = 0; i < seconds * 10; i++) {
    struct pollfd p = {c->fd, POLLIN, 0};
    if (poll(&p, 1, 100) > 0) {
      char b[4096];
      ssize_t k = recv(c->fd, b, sizeof b, MSG_DONTWAIT);
      if (k == 0 || (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
        return; /* the client closed */
    }
  }
}

void server_close(struct server_conn *c, bool reset) {
  if (reset) {
    struct linger l = {1, 0};
    setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  } else if (c->ssl != NULL) {
    SSL_shutdown(c->ssl);
  }
  if (c->ssl != NULL) SSL_free(c->ssl);
  c->ssl = NULL;
  if (!reset) {
    /* FIN first, then wait (briefly) for the client's close, so that
     * unread bytes never turn our close into a reset */
    shutdown(c->fd, SHUT_WR);
    server_stall(c, 2);
  }
  close(c->fd);
  c->fd = -1;
}
