/*
 * tlsload: a neutral TLS load generator for ssl-bench/neutral.sh (OpenSSL 3, not Java).
 *
 *   tlsload --port P [--host 127.0.0.1] --mode full|resume|echo [--tls 1.2|1.3] [--resume ticket|id]
 *           [--threads N] [--conns K] [--seconds S] [--warmup S] [--label TEXT] [--server-pids PID,PID...]
 *
 * full    N threads, each: connect, full handshake (no verification, no session offered), close_notify and FIN,
 *         read until the server's close_notify and FIN, close (with a reset, so that no TIME_WAIT piles up on
 *         either side: the server has closed by then). One handshake = one such connection.
 * resume  the same, each thread offering the session of its previous connection: TLS 1.3 tickets, TLS 1.2
 *         tickets (--resume ticket) or session ids (--resume id: the client refuses tickets). Counts how many
 *         resumed; a server that never resumes shows resumed=0.
 * echo    K connections, one thread each, 16 KiB writes with up to 256 KiB in flight, every echoed byte compared
 *         with what was sent. Rate = bytes echoed back per second.
 *
 * --server-pids: the server's processes; the CPU time they use (user + system, /proc/PID/stat, threads that ended
 * included) during the measured seconds is reported too, which a loaded machine changes far less than the rate.
 *
 * Warmup seconds run the same load uncounted. Prints one JSON line on stdout. Talks to 127.0.0.0/8 only, and
 * stops by itself: an alarm ends the process warmup + seconds + 30 s after it starts whatever the server does.
 *
 * Build: gcc -O2 -o tlsload tlsload.c -lssl -lcrypto -lpthread
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

enum mode { FULL, RESUME, ECHO };

static struct {
    struct sockaddr_in addr;
    enum mode mode;
    int tls13;
    int use_ids;            /* TLS 1.2 resumption by session id instead of tickets */
    int threads;
    double seconds, warmup;
    const char *label;
} cfg = { .tls13 = 1, .threads = 1, .seconds = 3, .warmup = 1, .label = "" };

static SSL_CTX *ctx;
static double t_start, t_measure, t_end;

/* results, added up by the threads */
static atomic_long n_done, n_resumed, n_errors, n_mismatch, n_bytes;
static atomic_int first_error_set;
static char first_error[256];

static __thread SSL_SESSION *last_session;

static double now(void);

#define MAX_PIDS 64
static int server_pids[MAX_PIDS], n_server_pids;

/* CPU clock ticks (user + system) used so far by the server's processes; -1 if none was given or readable. */
static long server_ticks(void) {
    long total = 0;
    int seen = 0;
    for (int i = 0; i < n_server_pids; i++) {
        char path[64], buf[1024];
        snprintf(path, sizeof path, "/proc/%d/stat", server_pids[i]);
        FILE *f = fopen(path, "r");
        if (!f) continue;
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = 0;
        char *p = strrchr(buf, ')'); /* the command name may hold spaces: fields are counted after it */
        if (!p) continue;
        long utime = 0, stime = 0;
        /* after ") ": state(3) ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime(14) stime(15) */
        if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %ld %ld", &utime, &stime) == 2) {
            total += utime + stime;
            seen = 1;
        }
    }
    return seen ? total : -1;
}

static void sleep_until(double t) {
    double d;
    while ((d = t - now()) > 0) usleep(d > 0.1 ? 100000 : (useconds_t) (d * 1e6));
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void note_error(const char *what) {
    atomic_fetch_add(&n_errors, 1);
    if (atomic_exchange(&first_error_set, 1) == 0) {
        unsigned long e = ERR_peek_last_error();
        char buf[160] = "";
        if (e) ERR_error_string_n(e, buf, sizeof buf);
        snprintf(first_error, sizeof first_error, "%s%s%s%s%s", what, errno ? ": " : "", errno ? strerror(errno) : "",
                 buf[0] ? ": " : "", buf);
        for (char *p = first_error; *p; p++) if (*p == '"' || *p == '\\') *p = '\'';
    }
    ERR_clear_error();
}

/* A new session from the server (TLS 1.3 tickets arrive after the handshake): keep the newest per thread. */
static int on_new_session(SSL *ssl, SSL_SESSION *s) {
    (void) ssl;
    if (last_session) SSL_SESSION_free(last_session);
    last_session = s;
    return 1; /* we keep the reference */
}

static int connect_tcp(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct timeval tv = { 5, 0 }; /* a stuck server fails the connection, never the run */
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *) &cfg.addr, sizeof cfg.addr) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Closes without TIME_WAIT on our side (the server has already ended its side, or the connection failed). */
static void close_abortive(int fd) {
    struct linger lg = { 1, 0 };
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    close(fd);
}

/* One connection: handshake, close_notify, read to the server's end. Returns 1 if done, 0 on failure. */
static int one_handshake(int offer, int *resumed) {
    errno = 0;
    int fd = connect_tcp();
    if (fd < 0) { note_error("connect"); return 0; }
    SSL *ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    if (offer && last_session) SSL_set_session(ssl, last_session);
    int ok = 0;
    if (SSL_connect(ssl) == 1) {
        *resumed = SSL_session_reused(ssl);
        SSL_shutdown(ssl);           /* our close_notify */
        shutdown(fd, SHUT_WR);
        char buf[512];               /* TLS 1.3 tickets, then the server's close_notify or EOF */
        while (SSL_read(ssl, buf, sizeof buf) > 0) {
        }
        while (read(fd, buf, sizeof buf) > 0) { /* to the server's FIN: it has closed before we reset */
        }
        ok = 1;
    } else {
        note_error("handshake");
    }
    ERR_clear_error();
    SSL_free(ssl);
    close_abortive(fd);
    return ok;
}

static void *handshake_thread(void *arg) {
    (void) arg;
    int resume = cfg.mode == RESUME;
    if (resume) { /* the first session to offer */
        int r;
        for (int i = 0; i < 3 && !last_session && now() < t_end; i++) one_handshake(0, &r);
    }
    for (;;) {
        double t = now();
        if (t >= t_end) break;
        int resumed = 0;
        int ok = one_handshake(resume, &resumed);
        double done = now();
        if (done >= t_measure && done < t_end) {
            if (ok) atomic_fetch_add(&n_done, 1);
            if (ok && resumed) atomic_fetch_add(&n_resumed, 1);
        }
        if (!ok) usleep(1000); /* a refused or failed connection: do not spin */
    }
    if (last_session) SSL_SESSION_free(last_session);
    last_session = NULL;
    return NULL;
}

/* Echo: a pattern of PATTERN bytes (not a power of two, so records do not line up with it), sent as slices. */
#define PATTERN (1024 * 1024 + 4099)
#define CHUNK 16384
#define WINDOW (256 * 1024)
static unsigned char pattern[PATTERN + CHUNK];

static void *echo_thread(void *arg) {
    (void) arg;
    errno = 0;
    int fd = connect_tcp();
    if (fd < 0) { note_error("connect"); return NULL; }
    SSL *ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    if (SSL_connect(ssl) != 1) { note_error("handshake"); SSL_free(ssl); close_abortive(fd); return NULL; }
    struct timeval tv = { 0, 0 }; /* non-blocking from here on, waits in poll */
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    SSL_set_mode(ssl, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0) { note_error("fcntl"); goto out; }
    long sent = 0, recvd = 0, counted_from = -1, measured = 0;
    int want_write_on_read = 0;
    unsigned char buf[CHUNK];
    double last_progress = now();
    for (;;) {
        double t = now();
        if (t >= t_end) break;
        if (counted_from < 0 && t >= t_measure) counted_from = recvd;
        if (t - last_progress > 5) { errno = 0; note_error("echo stalled 5 s"); break; }
        int progressed = 0;
        /* read everything available */
        for (;;) {
            int n = SSL_read(ssl, buf, sizeof buf);
            if (n > 0) {
                long off = recvd % PATTERN;
                if (memcmp(buf, pattern + off, n) != 0) {
                    /* the pattern buffer has CHUNK spare bytes copied from its start, so one memcmp suffices */
                    atomic_fetch_add(&n_mismatch, 1);
                    errno = 0; note_error("echo mismatch"); goto out;
                }
                recvd += n;
                progressed = 1;
                continue;
            }
            int e = SSL_get_error(ssl, n);
            if (e == SSL_ERROR_WANT_READ) break;
            if (e == SSL_ERROR_WANT_WRITE) { want_write_on_read = 1; break; }
            note_error(e == SSL_ERROR_ZERO_RETURN ? "echo: server closed" : "echo read");
            goto out;
        }
        /* write while less than WINDOW is in flight */
        int blocked_write = 0;
        while (sent - recvd < WINDOW) {
            long off = sent % PATTERN;
            int n = SSL_write(ssl, pattern + off, CHUNK);
            if (n > 0) { sent += n; progressed = 1; continue; }
            int e = SSL_get_error(ssl, n);
            if (e == SSL_ERROR_WANT_WRITE) { blocked_write = 1; break; }
            if (e == SSL_ERROR_WANT_READ) break;
            note_error("echo write");
            goto out;
        }
        if (progressed) { last_progress = now(); continue; }
        struct pollfd p = { fd, POLLIN | ((blocked_write || want_write_on_read) ? POLLOUT : 0), 0 };
        want_write_on_read = 0;
        poll(&p, 1, 100);
    }
    if (counted_from >= 0) measured = recvd - counted_from;
    atomic_fetch_add(&n_bytes, measured);
    atomic_fetch_add(&n_done, 1);
out:
    ERR_clear_error();
    SSL_free(ssl);
    close_abortive(fd);
    return NULL;
}

static void usage(void) {
    fprintf(stderr, "usage: tlsload --port P [--host 127.0.0.1] --mode full|resume|echo [--tls 1.2|1.3]\n"
                    "               [--resume ticket|id] [--threads N] [--conns K] [--seconds S] [--warmup S]"
                    " [--label TEXT]\n");
    exit(2);
}

int main(int argc, char **argv) {
    const char *host = "127.0.0.1";
    int port = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) usage();
        if (!strcmp(a, "--host")) host = v;
        else if (!strcmp(a, "--port")) port = atoi(v);
        else if (!strcmp(a, "--mode")) {
            if (!strcmp(v, "full")) cfg.mode = FULL;
            else if (!strcmp(v, "resume")) cfg.mode = RESUME;
            else if (!strcmp(v, "echo")) cfg.mode = ECHO;
            else usage();
        } else if (!strcmp(a, "--tls")) cfg.tls13 = !strcmp(v, "1.3");
        else if (!strcmp(a, "--resume")) cfg.use_ids = !strcmp(v, "id");
        else if (!strcmp(a, "--threads") || !strcmp(a, "--conns")) cfg.threads = atoi(v);
        else if (!strcmp(a, "--seconds")) cfg.seconds = atof(v);
        else if (!strcmp(a, "--warmup")) cfg.warmup = atof(v);
        else if (!strcmp(a, "--label")) cfg.label = v;
        else if (!strcmp(a, "--server-pids")) {
            for (char *q = (char *) v; *q && n_server_pids < MAX_PIDS;) {
                server_pids[n_server_pids++] = (int) strtol(q, &q, 10);
                while (*q == ',') q++;
            }
        }
        else usage();
        i++;
    }
    cfg.addr.sin_family = AF_INET;
    cfg.addr.sin_port = htons(port);
    if (port <= 0 || port > 65535 || inet_pton(AF_INET, host, &cfg.addr.sin_addr) != 1
            || (ntohl(cfg.addr.sin_addr.s_addr) >> 24) != 127) {
        fprintf(stderr, "tlsload: --host must be an IPv4 loopback address (127.0.0.0/8) and --port given\n");
        return 2;
    }
    if (cfg.threads < 1 || cfg.threads > 256 || cfg.seconds <= 0 || cfg.warmup < 0) usage();
    signal(SIGPIPE, SIG_IGN);
    alarm((unsigned) (cfg.warmup + cfg.seconds + 30)); /* stops by itself, whatever the server does */

    ctx = SSL_CTX_new(TLS_client_method());
    int v = cfg.tls13 ? TLS1_3_VERSION : TLS1_2_VERSION;
    SSL_CTX_set_min_proto_version(ctx, v);
    SSL_CTX_set_max_proto_version(ctx, v);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    if (cfg.mode == RESUME) {
        /* sessions are offered by hand (SSL_set_session); the callback keeps the newest one */
        SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
        SSL_CTX_sess_set_new_cb(ctx, on_new_session);
        if (!cfg.tls13 && cfg.use_ids) SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    } else {
        SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    }
    if (cfg.mode == ECHO) {
        srand(12345);
        for (int i = 0; i < PATTERN; i++) pattern[i] = (unsigned char) (rand() >> 7);
        memcpy(pattern + PATTERN, pattern, CHUNK);
    }

    t_start = now();
    t_measure = t_start + cfg.warmup;
    t_end = t_measure + cfg.seconds;
    pthread_t *ts = calloc(cfg.threads, sizeof *ts);
    for (int i = 0; i < cfg.threads; i++)
        pthread_create(&ts[i], NULL, cfg.mode == ECHO ? echo_thread : handshake_thread, NULL);
    sleep_until(t_measure);
    long ticks0 = server_ticks();
    sleep_until(t_end);
    long ticks1 = server_ticks();
    for (int i = 0; i < cfg.threads; i++) pthread_join(ts[i], NULL);
    double measured = now() < t_end ? now() - t_measure : cfg.seconds;
    if (measured <= 0) measured = cfg.seconds;

    const char *mode = cfg.mode == FULL ? "full" : cfg.mode == RESUME ? "resume" : "echo";
    printf("{\"label\":\"%s\",\"mode\":\"%s\",\"tls\":\"%s\",", cfg.label, mode, cfg.tls13 ? "1.3" : "1.2");
    if (cfg.mode == RESUME) printf("\"resume\":\"%s\",", cfg.tls13 ? "ticket" : cfg.use_ids ? "id" : "ticket");
    printf("\"%s\":%d,\"seconds\":%.2f,\"warmup\":%.2f,", cfg.mode == ECHO ? "conns" : "threads", cfg.threads,
           measured, cfg.warmup);
    if (cfg.mode == ECHO) {
        printf("\"connections_ok\":%ld,\"bytes\":%ld,\"mb_per_s\":%.1f,\"mismatches\":%ld,", atomic_load(&n_done),
               atomic_load(&n_bytes), atomic_load(&n_bytes) / measured / 1e6, atomic_load(&n_mismatch));
    } else {
        printf("\"handshakes\":%ld,\"per_s\":%.1f,\"resumed\":%ld,", atomic_load(&n_done),
               atomic_load(&n_done) / measured, atomic_load(&n_resumed));
    }
    if (ticks0 >= 0 && ticks1 >= 0) {
        double cpu = (double) (ticks1 - ticks0) / sysconf(_SC_CLK_TCK);
        long ops = cfg.mode == ECHO ? atomic_load(&n_bytes) / 1000000 : atomic_load(&n_done);
        printf("\"server_cpu_s\":%.2f,\"server_cpu_us_per_%s\":%.1f,", cpu, cfg.mode == ECHO ? "mb" : "handshake",
               ops > 0 ? cpu * 1e6 / ops : 0.0);
    }
    printf("\"errors\":%ld,\"first_error\":\"%s\"}\n", atomic_load(&n_errors), first_error);
    return 0;
}
