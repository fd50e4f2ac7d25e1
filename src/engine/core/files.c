/* files.c — files written atomically, stale temporaries, whole-file reads (see files.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clickseq/files.h"

cs_status cs_fsync_dir_of(const char *path, cs_error *err)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return cs_error_set(err, CS_EIO, dir, 0, 0, "cannot open directory: %s", strerror(errno));
    int r = fsync(fd);
    close(fd);
    if (r != 0 && errno != EINVAL)
        return cs_error_set(err, CS_EIO, dir, 0, 0, "fsync failed: %s", strerror(errno));
    return CS_OK;
}

/* Temporaries are hidden siblings of their target, named ".BASE.tmp-PID-XXXXXX" (files
 * and run directories alike), so that a listing never shows them, two writers never share
 * one, and a later writer can tell whether the one that made it is still running. */
static int split_path(const char *path, char *dir, size_t dn, const char **base)
{
    const char *slash = strrchr(path, '/');
    *base = slash ? slash + 1 : path;
    if (!**base)
        return -1;
    if (!slash)
        snprintf(dir, dn, ".");
    else
        snprintf(dir, dn, "%.*s", (int)(slash == path ? 1 : slash - path), path);
    return 0;
}

int cs_temp_name(char *out, size_t n, const char *path)
{
    char dir[1024];
    const char *base;
    if (split_path(path, dir, sizeof dir, &base) != 0)
        return -1;
    int k = snprintf(out, n, "%s/.%s.tmp-%ld-XXXXXX", dir, base, (long)getpid());
    return k < 0 || (size_t)k >= n ? -1 : 0;
}

/* ".NAME.tmp-PID-XXXXXX" -> PID, else 0. */
static long temp_owner(const char *name)
{
    if (name[0] != '.')
        return 0;
    const char *t = strstr(name, ".tmp-");
    const char *last = NULL;
    for (; t; t = strstr(t + 1, ".tmp-"))
        last = t;
    if (!last || last == name)
        return 0;
    char *end;
    long pid = strtol(last + 5, &end, 10);
    if (pid <= 0 || end == last + 5 || *end != '-' || strlen(end + 1) != 6)
        return 0;
    return pid;
}

/* Remove a stale temporary: a file, or a flat directory of files (a run being built).
 * Never follows symbolic links. */
static void remove_temp(const char *p, const struct stat *st)
{
    if (!S_ISDIR(st->st_mode)) {
        unlink(p);
        return;
    }
    DIR *d = opendir(p);
    if (d) {
        struct dirent *e;
        char q[2600];
        while ((e = readdir(d)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
                snprintf(q, sizeof q, "%s/%s", p, e->d_name);
                unlink(q);   /* fails harmlessly on anything that is not a file */
            }
        closedir(d);
    }
    rmdir(p);
}

size_t cs_clean_stale_temps(const char *dir, double min_age_s)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t n = 0;
    time_t now = time(NULL);
    struct dirent *e;
    while ((e = readdir(d))) {
        long pid = temp_owner(e->d_name);
        if (pid <= 0 || pid == (long)getpid())
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;   /* its writer may still be running (or belongs to another user) */
        char p[2200];
        struct stat st;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (lstat(p, &st) != 0 || difftime(now, st.st_mtime) < min_age_s)
            continue;   /* young: maybe a writer in another pid namespace sharing the dir */
        remove_temp(p, &st);
        n++;
    }
    closedir(d);
    return n;
}

/* The descriptor a path names when it is one of the process's own: /dev/stdout,
 * /dev/stderr, /dev/fd/N, /proc/self/fd/N (process substitution gives /dev/fd/63).  -1
 * otherwise.  Writing through the descriptor itself keeps its offset and append mode. */
static int own_fd(const char *path)
{
    long n = -1;
    char *end;
    if (!strcmp(path, "/dev/stdout"))
        n = 1;
    else if (!strcmp(path, "/dev/stderr"))
        n = 2;
    else if (!strncmp(path, "/dev/fd/", 8) || !strncmp(path, "/proc/self/fd/", 14)) {
        const char *d = path + (path[1] == 'd' ? 8 : 14);
        n = strtol(d, &end, 10);
        if (end == d || *end || n < 0 || n > 1 << 20)
            n = -1;
    }
    return n >= 0 && fcntl((int)n, F_GETFD) != -1 ? (int)n : -1;
}

/* Write in place, streaming: what is at path is not a regular file (a device, a FIFO, a
 * pipe or terminal behind /dev/stdout), so there is nothing to replace atomically, and
 * renaming over it would replace the node itself. */
static cs_status open_in_place(cs_atomic_file *af, const char *path, int fd, cs_error *err)
{
    if (fd < 0)
        fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return cs_error_set(err, CS_EIO, path, 0, 0, "cannot open for writing: %s", strerror(errno));
    af->f = fdopen(fd, "w");
    if (!af->f) {
        int e = errno;
        close(fd);
        return cs_error_set(err, CS_ENOMEM, path, 0, 0, "cannot open a stream: %s", strerror(e));
    }
    af->in_place = 1;
    return CS_OK;
}

cs_status cs_atomic_open(cs_atomic_file *af, const char *path, cs_error *err)
{
    memset(af, 0, sizeof *af);
    if (strlen(path) >= sizeof af->path)
        return cs_error_set(err, CS_EINPUT, path, 0, 0, "not a usable file name (too long)");
    snprintf(af->path, sizeof af->path, "%s", path);
    if (!strcmp(path, "-")) {   /* standard output, left open for the program to close */
        af->f = stdout;
        af->in_place = 2;
        return CS_OK;
    }
    int own = own_fd(path);
    if (own >= 0) {
        int fd = fcntl(own, F_DUPFD_CLOEXEC, 3);
        if (fd < 0)
            return cs_error_set(err, CS_EIO, path, 0, 0, "cannot open for writing: %s", strerror(errno));
        return open_in_place(af, path, fd, err);
    }
    struct stat st, lst;
    char target[4096];
    const char *where = path;   /* the file to replace: a symbolic link's target */
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return cs_error_set(err, CS_EINPUT, path, 0, 0, "is a directory");
        if (!S_ISREG(st.st_mode))
            return open_in_place(af, path, -1, err);
        if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
            if (!realpath(path, target))
                return cs_error_set(err, CS_EIO, path, 0, 0, "cannot follow the link: %s", strerror(errno));
            where = target;
        }
    } else if (errno == ENOENT && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
        /* a dangling link: follow it, creating its target (not atomically) */
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOCTTY | O_CLOEXEC, 0644);
        if (fd < 0)
            return cs_error_set(err, CS_EIO, path, 0, 0, "cannot create the link's target: %s",
                                strerror(errno));
        return open_in_place(af, path, fd, err);
    }
    char dir[1024];
    const char *base;
    if (strlen(where) >= sizeof af->target || split_path(where, dir, sizeof dir, &base) != 0 ||
        cs_temp_name(af->tmp, sizeof af->tmp, where) != 0)
        return cs_error_set(err, CS_EINPUT, path, 0, 0, "not a usable file name");
    snprintf(af->target, sizeof af->target, "%s", where);
    cs_clean_stale_temps(dir, CS_STALE_TEMP_AGE);
    int fd = mkstemp(af->tmp);
    if (fd < 0)
        return cs_error_set(err, CS_EIO, path, 0, 0, "cannot create a file there: %s", strerror(errno));
    fchmod(fd, 0644);   /* mkstemp makes it private; outputs are ordinary files */
    af->f = fdopen(fd, "w");
    if (!af->f) {
        int e = errno;
        close(fd);
        unlink(af->tmp);
        return cs_error_set(err, CS_ENOMEM, path, 0, 0, "cannot open a stream: %s", strerror(e));
    }
    return CS_OK;
}

void cs_atomic_abort(cs_atomic_file *af)
{
    if (af->f && af->in_place == 2)
        fflush(af->f);
    else if (af->f) {
        fclose(af->f);
        if (!af->in_place)
            unlink(af->tmp);
    }
    af->f = NULL;
}

cs_status cs_atomic_commit(cs_atomic_file *af, cs_error *err)
{
    if (!af->f)
        return cs_error_set(err, CS_ERUNTIME, af->path, 0, 0, "not open");
    if (af->in_place) {   /* nothing to rename; a pipe or device cannot be fsynced */
        errno = 0;
        int bad = ferror(af->f) || fflush(af->f) != 0;
        int e = errno;
        if (af->in_place == 1)
            bad |= fclose(af->f) != 0;
        af->f = NULL;
        if (bad)
            return cs_error_set(err, CS_EIO, af->path, 0, 0, "write failed: %s",
                                strerror(e ? e : errno ? errno : EIO));
        return CS_OK;
    }
    errno = 0;
    int bad = ferror(af->f) || fflush(af->f) != 0 || fsync(fileno(af->f)) != 0;
    int e = errno;
    bad |= fclose(af->f) != 0;
    af->f = NULL;
    if (bad) {
        unlink(af->tmp);
        return cs_error_set(err, CS_EIO, af->path, 0, 0, "write failed: %s",
                            strerror(e ? e : errno ? errno : EIO));
    }
    if (rename(af->tmp, af->target) != 0) {
        e = errno;
        unlink(af->tmp);
        return cs_error_set(err, CS_EIO, af->path, 0, 0, "rename failed: %s", strerror(e));
    }
    return cs_fsync_dir_of(af->target, err);
}

cs_status cs_write_atomic(const char *path, const void *buf, size_t n, cs_error *err)
{
    cs_atomic_file af;
    cs_status s = cs_atomic_open(&af, path, err);
    if (s != CS_OK)
        return s;
    if (n && fwrite(buf, 1, n, af.f) != n) {
        int e = errno;
        cs_atomic_abort(&af);
        return cs_error_set(err, CS_EIO, path, 0, 0, "write failed: %s", strerror(e));
    }
    return cs_atomic_commit(&af, err);
}

/* Read a whole regular file of at most max bytes (NUL-terminated for text use).  Opened
 * with O_NONBLOCK so that a FIFO cannot block the open, then checked with fstat: a FIFO, a
 * device (a symbolic link to /dev/zero), a socket or a directory is refused before any
 * read.  The buffer is sized from st_size once; a file that grows meanwhile is read up to
 * that size (the writers replace files by rename, never append). */
cs_status cs_slurp(const char *path, size_t max, char **out, size_t *n, cs_error *err)
{
    *out = NULL;
    *n = 0;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return cs_error_set(err, errno == ENOENT || errno == ENOTDIR ? CS_EINPUT : CS_EIO, path, 0, 0,
                            "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return cs_error_set(err, CS_EIO, path, 0, 0, "cannot stat: %s", strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return cs_error_set(err, CS_EINPUT, path, 0, 0, "not a regular file (%s)",
                            S_ISFIFO(st.st_mode)  ? "a FIFO"
                            : S_ISCHR(st.st_mode) ? "a character device"
                            : S_ISBLK(st.st_mode) ? "a block device"
                            : S_ISDIR(st.st_mode) ? "a directory"
                                                  : "a socket");
    }
    if ((uint64_t)st.st_size > (uint64_t)max) {
        close(fd);
        return cs_error_set(err, CS_EINPUT, path, 0, 0, "too large (%lld bytes; at most %zu)",
                            (long long)st.st_size, max);
    }
    size_t cap = (size_t)st.st_size, len = 0;
    char *buf = malloc(cap + 1);
    if (!buf) {
        close(fd);
        return cs_error_set(err, CS_ENOMEM, path, 0, 0, "out of memory reading the file");
    }
    while (len < cap) {
        ssize_t r = read(fd, buf + len, cap - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            close(fd);
            free(buf);
            return cs_error_set(err, CS_EIO, path, 0, 0, "read error: %s", strerror(e));
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    buf[len] = '\0';
    *out = buf;
    *n = len;
    return CS_OK;
}

cs_status cs_write_file_atomic(const char *path, const char *text, cs_error *err)
{
    return cs_write_atomic(path, text, strlen(text), err);
}
