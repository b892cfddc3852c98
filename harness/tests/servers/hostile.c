/* hostile.c: a loopback server that misbehaves in the way the request path
 * names, so the tests can prove that live mode ends every such exchange
 * with a clear message within its deadline, never a hang or a crash.
 *
 *   usage: hostile [--port N]      (prints the port on stdout's first line)
 *
 *   /ok              a normal answer with Access-Control-Allow-Origin: *
 *   /stall-headers   reads the request, then sends nothing
 *   /stall-body      sends complete headers (Content-Length: 100), then nothing
 *   /dribble         a valid answer, one byte a second
 *   /huge-headers    1 MiB of header lines, then nothing
 *   /many-headers    100000 short header lines
 *   /endless-body    valid headers, then chunks forever
 *   /garbage         another protocol's greeting (an SSH banner)
 *   /binary          binary bytes that are not HTTP
 *   /reset-headers   half the headers, then a TCP reset
 *   /reset-body      headers and part of the body, then a TCP reset
 *   /close           closes without answering
 *   /close-headers   half the headers, then closes
 *   /interim-flood   "100 Continue" answers forever
 *   (TLS)            a TLS ClientHello is never answered
 *   anything else    404 with Access-Control-Allow-Origin: * */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "server.h"

#define STALL_SECONDS 60

static void pause_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

static const char ok_head[] =
    "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n"
    "Content-Type: text/plain\r\n";

static void handle(struct server_conn *c, void *ctx) {
  (void)ctx;
  if (c->first_byte == 0x16) { /* a TLS ClientHello: never answered */
    server_stall(c, STALL_SECONDS);
    server_close(c, false);
    return;
  }
  struct server_request rq;
  if (server_read_request(c, &rq) != 0) {
    server_close(c, false);
    return;
  }
  const char *p = rq.target;
  bool reset = false;
  if (strcmp(p, "/ok") == 0) {
    server_puts(c, ok_head);
    server_puts(c, "Content-Length: 2\r\n\r\nok");
  } else if (strcmp(p, "/stall-headers") == 0) {
    server_stall(c, STALL_SECONDS);
  } else if (strcmp(p, "/stall-body") == 0) {
    server_puts(c, ok_head);
    server_puts(c, "Content-Length: 100\r\n\r\nsome");
    server_stall(c, STALL_SECONDS);
  } else if (strcmp(p, "/dribble") == 0) {
    static const char all[] =
        "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n"
        "Content-Length: 0\r\n\r\n";
    for (size_t i = 0; i < sizeof all - 1; i++) {
      if (server_write(c, all + i, 1) != 0) break;
      pause_ms(1000);
    }
  } else if (strcmp(p, "/huge-headers") == 0) {
    char line[1100];
    memset(line, 'a', sizeof line);
    memcpy(line, "X-Pad: ", 7);
    memcpy(line + sizeof line - 2, "\r\n", 2);
    if (server_puts(c, ok_head) == 0)
      for (int i = 0; i < 1024 && server_write(c, line, sizeof line) == 0; i++)
        continue;
    server_stall(c, STALL_SECONDS);
  } else if (strcmp(p, "/many-headers") == 0) {
    if (server_puts(c, ok_head) == 0)
      for (int i = 0; i < 100000 && server_puts(c, "a: b\r\n") == 0; i++)
        continue;
    server_stall(c, STALL_SECONDS);
  } else if (strcmp(p, "/endless-body") == 0) {
    char chunk[4096 + 16];
    int n = snprintf(chunk, sizeof chunk, "%x\r\n", 4096);
    memset(chunk + n, 'z', 4096);
    memcpy(chunk + n + 4096, "\r\n", 2);
    if (server_puts(c, ok_head) == 0 &&
        server_puts(c, "Transfer-Encoding: chunked\r\n\r\n") == 0)
      while (server_write(c, chunk, (size_t)n + 4098) == 0) continue;
  } else if (strcmp(p, "/garbage") == 0) {
    server_puts(c, "SSH-2.0-OpenSSH_9.2p1\r\n");
  } else if (strcmp(p, "/binary") == 0) {
    static const char bin[] = "\x00\x01\xff\xfe not HTTP\r\n\r\n";
    server_write(c, bin, sizeof bin - 1);
  } else if (strcmp(p, "/reset-headers") == 0) {
    server_puts(c, "HTTP/1.1 200 OK\r\nAccess-Con");
    pause_ms(100);
    reset = true;
  } else if (strcmp(p, "/reset-body") == 0) {
    server_puts(c, ok_head);
    server_puts(c, "Content-Length: 1000\r\n\r\n0123456789");
    pause_ms(100);
    reset = true;
  } else if (strcmp(p, "/close") == 0) {
    /* nothing */
  } else if (strcmp(p, "/close-headers") == 0) {
    server_puts(c, "HTTP/1.1 200 OK\r\nAccess-Con");
  } else if (strcmp(p, "/interim-flood") == 0) {
    while (server_puts(c, "HTTP/1.1 100 Continue\r\n\r\n") == 0) continue;
  } else {
    server_puts(c, "HTTP/1.1 404 Not Found\r\nAccess-Control-Allow-Origin: *"
                   "\r\nContent-Length: 0\r\n\r\n");
  }
  server_close(c, reset);
}

int main(int argc, char **argv) {
  int port = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--port") == 0 && i + 1 < argc) {
      port = atoi(argv[++i]);
    } else {
      fprintf(stderr, "usage: hostile [--port N]\n");
      return 2;
    }
  }
  struct server s = {-1, NULL, handle, NULL};
  if (server_listen(&s, port) != 0) return 1;
  server_run(&s);
  return 1;
}
