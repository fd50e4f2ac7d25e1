/* stopsig.c — headless commands stopped by a signal (see stopsig.h). */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <time.h>

#include "app/stopsig.h"

/* The signal number, 0 if none.  Atomic, not volatile sig_atomic_t: the handler runs on
 * the main thread and the progress or watcher thread reads it (ThreadSanitizer flagged
 * the race). */
static atomic_int caught;
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the signal handler needs a lock-free atomic int");

static void on_signal(int sig)
{
    atomic_store(&caught, sig);
}

static const int sigs[3] = {SIGINT, SIGTERM, SIGHUP};
static struct sigaction old[3];
static int installed[3];

void stopsig_catch(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;   /* a second Ctrl-C ends the program */
    for (int i = 0; i < 3; i++) {
        /* a signal ignored when we started stays ignored: nohup's SIGHUP, the SIGINT of a
         * script's background job (the terminal's Ctrl-C is not meant for it) */
        installed[i] = sigaction(sigs[i], NULL, &old[i]) == 0 && old[i].sa_handler != SIG_IGN &&
                       sigaction(sigs[i], &sa, NULL) == 0;
    }
}

void stopsig_restore(void)
{
    for (int i = 0; i < 3; i++)
        if (installed[i])
            sigaction(sigs[i], &old[i], NULL);
    memset(installed, 0, sizeof installed);
}

int stopsig_caught(void)
{
    return atomic_load(&caught);
}

const char *stopsig_name(int sig)
{
    return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : sig == SIGHUP ? "SIGHUP" : "a signal";
}

static void *watch_main(void *arg)
{
    stopsig_watch *w = arg;
    while (!atomic_load(&w->done)) {
        if (atomic_load(&caught))
            cs_monitor_interrupt(w->mon);
        struct timespec ts = {0, 50 * 1000000L};
        nanosleep(&ts, NULL);
    }
    return NULL;
}

int stopsig_watch_start(stopsig_watch *w, cs_monitor *mon)
{
    w->mon = mon;
    atomic_store(&w->done, 0);
    w->running = mon && pthread_create(&w->th, NULL, watch_main, w) == 0;
    return w->running ? 0 : -1;
}

void stopsig_watch_stop(stopsig_watch *w)
{
    atomic_store(&w->done, 1);
    if (w->running)
        pthread_join(w->th, NULL);
    w->running = 0;
}
