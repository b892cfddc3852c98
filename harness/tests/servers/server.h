/* server.h: what the loopback test servers share: a listening socket on
 * 127.0.0.1 whose port is the first line of standard output, one thread
 * per connection, TLS told apart from plain HTTP by the first byte, and
 * reading one request head. Test code only: blocking sockets with
 * timeouts, messages on stderr. */
#ifndef CORSIM_TEST_SERVER_H
#define CORSIM_TEST_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/ssl.h>

#define SERVER_MAX_HEADERS 128

struct server_conn {
  int fd;
  SSL *ssl;        /* NULL: plain TCP */
  int first_byte;  /* the first byte the client sent, -1 when none came */
};

struct server_request {
  char method[32];
  char target[8192];
  struct {
    char name[128];
    char value[8192];
  } headers[SERVER_MAX_HEADERS];
  size_t header_count;
};

/* Handles one connection in its own thread; the caller closes it after. */
typedef void (*server_handler)(struct server_conn *c, void *ctx);

struct server {
  int listen_fd;
  SSL_CTX *tls;     /* NULL: no TLS; a TLS ClientHello goes to the handler */
  server_handler handle;
  void *ctx;
};

/* Listens on 127.0.0.1:port (0: any free port) and prints the port on
 * stdout's first line. Returns 0 or -1 (message on stderr). */
int server_listen(struct server *s, int port);

/* A TLS context from PEM files; NULL with a message on stderr. */
SSL_CTX *server_tls_context(const char *cert, const char *key);

/* Accepts forever; each connection runs `handle` in a detached thread.
 * With s->tls set, a connection whose first byte is a TLS handshake
 * record is accepted as TLS before the handler runs. */
void server_run(struct server *s);

/* Reads a request head (up to the blank line, 64 KiB at most, 10 s at
 * most). Returns 0 or -1. */
int server_read_request(struct server_conn *c, struct server_request *out);

/* The value of a request header (case-insensitive), NULL when absent. */
const char *server_header(const struct server_request *r, const char *name);

/* Writes all of `n` bytes; returns 0, or -1 when the client is gone. */
int server_write(struct server_conn *c, const void *p, size_t n);
int server_puts(struct server_conn *c, const char *s);

/* Waits until the client closes the connection or `seconds` pass. */
void server_stall(struct server_conn *c, int seconds);

/* Ends the connection: cleanly (FIN, TLS close_notify), or with a TCP
 * reset when `reset`. */
void server_close(struct server_conn *c, bool reset);

#endif /* CORSIM_TEST_SERVER_H */
