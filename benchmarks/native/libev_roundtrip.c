/*
 * libev_roundtrip: the C floor of gevent4j's LoopRoundTripBenchmark.
 *
 * One operation is one 1-byte round trip through libev: write 1 byte into a non-blocking pipe,
 * ev_run(loop, EVRUN_ONCE), the ev_io callback fires and reads the byte back. The loop is a
 * private ev_loop_new loop with the flags gevent4j's libev loop uses (EVFLAG_NOENV,
 * EVFLAG_NOSIGMASK, EVFLAG_NOINOTIFY, EVFLAG_NOTIMERFD) and libev's recommended backend (epoll on
 * Linux), so the Java loops and this program make the same system calls.
 *
 * Like the JMH benchmark it runs warm-up iterations, then measured iterations of a fixed wall
 * time, and prints the mean ns per operation of every iteration. A second mode, "bare", does the
 * write and the read without the loop. Output, one line per mode:
 *
 *   RESULT mode=loop backend=epoll iterations=5 ops=... ns_per_op=... min=... max=... error=...
 *
 * where error is the 99.9 % confidence half-width (Student's t, as JMH reports it).
 *
 * usage: libev_roundtrip [warmup-iterations (3)] [iterations (5)] [seconds per iteration (1)]
 * build: gcc -O2 -o libev_roundtrip libev_roundtrip.c -lev -lm
 */
#define _GNU_SOURCE
#include <ev.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int read_fd;
static int write_fd;
static unsigned long long callbacks_read;
static unsigned long long loop_writes;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static void on_readable(struct ev_loop *loop, ev_io *watcher, int revents)
{
    char byte;
    (void) loop;
    (void) watcher;
    (void) revents;
    if (read(read_fd, &byte, 1) == 1) {
        callbacks_read++;
    }
}

static void die(const char *what)
{
    perror(what);
    exit(1);
}

/* One round trip through the loop. */
static void op_loop(struct ev_loop *loop)
{
    static const char byte = 'x';
    if (write(write_fd, &byte, 1) != 1) {
        die("write");
    }
    loop_writes++;
    ev_run(loop, EVRUN_ONCE);
}

/* The same write and read without the loop. */
static void op_bare(struct ev_loop *loop)
{
    static const char byte = 'x';
    char in;
    (void) loop;
    if (write(write_fd, &byte, 1) != 1) {
        die("write");
    }
    if (read(read_fd, &in, 1) != 1) {
        die("read");
    }
}

/* Runs op for about `seconds`; returns ns per op, and the op count through *ops. */
static double iteration(void (*op)(struct ev_loop *), struct ev_loop *loop, double seconds,
                        unsigned long long *ops)
{
    unsigned long long n = 0;
    double start = now_seconds();
    double end = start + seconds;
    double t;
    do {
        for (int i = 0; i < 1000; i++) {
            op(loop);
        }
        n += 1000;
        t = now_seconds();
    } while (t < end);
    *ops += n;
    return (t - start) * 1e9 / (double) n;
}

/* Two-sided 99.9 % Student's t quantile for n - 1 degrees of freedom (JMH's error interval). */
static double t999(int n)
{
    static const double table[] = {0, 636.619, 31.599, 12.924, 8.610, 6.869, 5.959, 5.408, 5.041,
                                   4.781, 4.587, 4.437, 4.318, 4.221, 4.140, 4.073, 4.015, 3.965,
                                   3.922, 3.883, 3.850};
    int df = n - 1;
    if (df < 1) {
        return NAN;
    }
    return df < (int) (sizeof table / sizeof table[0]) ? table[df] : 3.291;
}

static void measure(const char *mode, void (*op)(struct ev_loop *), struct ev_loop *loop,
                    int warmups, int iterations, double seconds)
{
    unsigned long long ops = 0;
    double *values = calloc((size_t) iterations, sizeof(double));
    if (values == NULL) {
        die("calloc");
    }
    for (int i = 0; i < warmups; i++) {
        unsigned long long ignored = 0;
        printf("# %s warm-up %d: %.1f ns/op\n", mode, i + 1, iteration(op, loop, seconds, &ignored));
    }
    double sum = 0;
    double min = INFINITY;
    double max = 0;
    for (int i = 0; i < iterations; i++) {
        values[i] = iteration(op, loop, seconds, &ops);
        printf("# %s iteration %d: %.1f ns/op\n", mode, i + 1, values[i]);
        sum += values[i];
        min = values[i] < min ? values[i] : min;
        max = values[i] > max ? values[i] : max;
    }
    double mean = sum / iterations;
    double squares = 0;
    for (int i = 0; i < iterations; i++) {
        squares += (values[i] - mean) * (values[i] - mean);
    }
    double error = iterations > 1 ? t999(iterations) * sqrt(squares / (iterations - 1)) / sqrt(iterations) : NAN;
    const char *backend = ev_backend(loop) == EVBACKEND_EPOLL ? "epoll"
                        : ev_backend(loop) == EVBACKEND_POLL ? "poll"
                        : ev_backend(loop) == EVBACKEND_SELECT ? "select" : "other";
    printf("RESULT mode=%s backend=%s libev=%d.%d iterations=%d ops=%llu ns_per_op=%.2f min=%.2f max=%.2f error=%.2f\n",
           mode, backend, ev_version_major(), ev_version_minor(), iterations, ops, mean, min, max, error);
    fflush(stdout);
    free(values);
}

int main(int argc, char **argv)
{
    int warmups = argc > 1 ? atoi(argv[1]) : 3;
    int iterations = argc > 2 ? atoi(argv[2]) : 5;
    double seconds = argc > 3 ? atof(argv[3]) : 1.0;
    if (warmups < 0 || iterations < 1 || seconds <= 0) {
        fprintf(stderr, "usage: libev_roundtrip [warmup-iterations] [iterations] [seconds per iteration]\n");
        return 2;
    }

    int fds[2];
    if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) {
        die("pipe2");
    }
    read_fd = fds[0];
    write_fd = fds[1];

    struct ev_loop *loop = ev_loop_new(EVFLAG_NOENV | EVFLAG_NOSIGMASK | EVFLAG_NOINOTIFY | EVFLAG_NOTIMERFD);
    if (loop == NULL) {
        fprintf(stderr, "ev_loop_new failed\n");
        return 1;
    }
    ev_io watcher;
    ev_io_init(&watcher, on_readable, read_fd, EV_READ);
    ev_io_start(loop, &watcher);

    measure("loop", op_loop, loop, warmups, iterations, seconds);
    if (callbacks_read != loop_writes) {
        fprintf(stderr, "%llu bytes written but %llu read by the io callback\n", loop_writes, callbacks_read);
        return 1;
    }
    measure("bare", op_bare, loop, warmups, iterations, seconds);

    ev_io_stop(loop, &watcher);
    ev_loop_destroy(loop);
    close(read_fd);
    close(write_fd);
    return 0;
}
