/*
 * libev_echo: the C floor of gevent4j's echo contest. A single-threaded echo server on libev with
 * one ev_io per client: read what arrived, write it back; if the socket takes only part of it,
 * keep the rest and wait for EV_WRITE before reading more (so memory stays bounded, as in the
 * Java servers, which block in write). Listens on 0.0.0.0, an ephemeral port unless one is given,
 * prints "listening on <port>" and runs until killed.
 *
 * usage: libev_echo [port]
 * build: gcc -O2 -o libev_echo libev_echo.c -lev
 */
#define _GNU_SOURCE
#include <errno.h>
#include <ev.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUFFER_SIZE 8192

struct client {
    ev_io io;
    size_t pending;     /* bytes of buf not yet written back */
    size_t offset;      /* where the pending bytes start */
    char buf[BUFFER_SIZE];
};

static void close_client(struct ev_loop *loop, struct client *c)
{
    ev_io_stop(loop, &c->io);
    close(c->io.fd);
    free(c);
}

/* Writes the pending bytes; returns 0 when all went out, 1 when the socket is full, -1 on error. */
static int flush_pending(struct client *c)
{
    while (c->pending > 0) {
        ssize_t n = write(c->io.fd, c->buf + c->offset, c->pending);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return errno == EAGAIN ? 1 : -1;
        }
        c->offset += (size_t) n;
        c->pending -= (size_t) n;
    }
    return 0;
}

static void client_cb(struct ev_loop *loop, ev_io *w, int revents)
{
    struct client *c = (struct client *) w;
    if (revents & EV_WRITE) {
        int r = flush_pending(c);
        if (r < 0) {
            close_client(loop, c);
            return;
        }
        if (r == 0) {
            ev_io_stop(loop, w);
            ev_io_set(w, w->fd, EV_READ);
            ev_io_start(loop, w);
        }
        return;
    }
    ssize_t n = read(w->fd, c->buf, BUFFER_SIZE);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        close_client(loop, c);
        return;
    }
    if (n < 0) {
        return;
    }
    c->offset = 0;
    c->pending = (size_t) n;
    int r = flush_pending(c);
    if (r < 0) {
        close_client(loop, c);
    } else if (r == 1) {
        ev_io_stop(loop, w);
        ev_io_set(w, w->fd, EV_WRITE);
        ev_io_start(loop, w);
    }
}

static void accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
    (void) revents;
    for (;;) {
        int fd = accept4(w->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED) {
                perror("libev_echo: accept4");
            }
            return;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        struct client *c = malloc(sizeof *c);
        if (c == NULL) {
            close(fd);
            continue;
        }
        c->pending = 0;
        c->offset = 0;
        ev_io_init(&c->io, client_cb, fd, EV_READ);
        ev_io_start(loop, &c->io);
    }
}

int main(int argc, char **argv)
{
    int port = argc > 1 ? atoi(argv[1]) : 0;
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_ANY);
    addr.sin_port = htons((unsigned short) port);
    if (bind(listener, (struct sockaddr *) &addr, sizeof addr) != 0 || listen(listener, 1024) != 0) {
        perror("libev_echo: bind/listen");
        return 1;
    }
    socklen_t len = sizeof addr;
    getsockname(listener, (struct sockaddr *) &addr, &len);
    printf("listening on %d\n", ntohs(addr.sin_port));
    fflush(stdout);
    struct ev_loop *loop = ev_loop_new(EVFLAG_NOENV | EVFLAG_NOSIGMASK | EVFLAG_NOINOTIFY | EVFLAG_NOTIMERFD);
    if (loop == NULL) {
        fprintf(stderr, "libev_echo: ev_loop_new failed\n");
        return 1;
    }
    ev_io accept_watcher;
    ev_io_init(&accept_watcher, accept_cb, listener, EV_READ);
    ev_io_start(loop, &accept_watcher);
    ev_run(loop, 0);
    return 0;
}
