/* files.h — files on disk, safely (core layer): whole files and streams written
 * atomically, their hidden temporaries, reading a whole file.
 *
 * An atomic write goes to a temporary sibling ".BASE.tmp-PID-XXXXXX", is flushed and
 * fsynced, renamed over the target, and the directory is fsynced: a kill leaves the old
 * file or the new one, never half of one (at worst a hidden temporary, which the next
 * writer into that directory removes once its process is gone). */
#ifndef CLICKSEQ_FILES_H
#define CLICKSEQ_FILES_H

#include <stddef.h>
#include <stdio.h>

#include "clickseq/error.h"

/* Write buf to path atomically (dir of path fsynced). */
cs_status cs_write_atomic(const char *path, const void *buf, size_t n, cs_error *err);
/* The text version: write a NUL-terminated string atomically. */
cs_status cs_write_file_atomic(const char *path, const char *text, cs_error *err);

/* A file written atomically through a stream (for outputs too large to build in memory):
 * open -> write to f -> commit (fflush, fsync, close, rename over path, fsync the
 * directory) or abort (the temporary is removed).  The temporary is a hidden sibling,
 * ".BASE.tmp-PID-XXXXXX"; opening one also removes stale temporaries in that directory.
 * Only a regular file (or a new one) is replaced so: a symbolic link is followed (its
 * target is replaced, the link stays); anything else that is there — a device, a FIFO,
 * /dev/stdout, /dev/fd/N of a process substitution — is written in place, streaming
 * (the node is never replaced); "-" is standard output (flushed, not closed, by commit).
 * A directory is CS_EINPUT.  These rules hold for cs_write_atomic too. */
typedef struct cs_atomic_file {
    FILE *f;
    char path[1024], tmp[1200];
    char target[4096];   /* the file the rename replaces (path, or a link's target) */
    int in_place;        /* 1: written in place; 2: standard output */
} cs_atomic_file;
cs_status cs_atomic_open(cs_atomic_file *af, const char *path, cs_error *err);
cs_status cs_atomic_commit(cs_atomic_file *af, cs_error *err);
void cs_atomic_abort(cs_atomic_file *af);

/* Stale temporaries: entries ".NAME.tmp-PID-XXXXXX" of dir (files, or run directories
 * being built) whose process PID no longer exists and that are at least min_age_s old
 * (a writer in another pid namespace sharing the directory keeps touching its own).
 * Removes them and returns how many.  cs_run_save and cs_atomic_open call it with
 * CS_STALE_TEMP_AGE; listings never show hidden entries anyway. */
#define CS_STALE_TEMP_AGE 60.0
size_t cs_clean_stale_temps(const char *dir, double min_age_s);
/* out <- "DIR/.BASE.tmp-PID-XXXXXX" for path DIR/BASE (a mkstemp/mkdtemp template). */
int cs_temp_name(char *out, size_t n, const char *path);

/* fsync the directory that holds path (the parent of a file, or of a directory). */
cs_status cs_fsync_dir_of(const char *path, cs_error *err);
/* Read a whole file, NUL-terminated; *n excludes the NUL.  Every file a run holds (and
 * any other file read whole) is read through it.  Only a regular file of at most max
 * bytes is read: a FIFO (opened without blocking, so it cannot hang the reader), a
 * device (say a symbolic link to /dev/zero), a directory or a socket is CS_EINPUT "not a
 * regular file (...)", a larger file CS_EINPUT "too large"; a missing file CS_EINPUT. */
cs_status cs_slurp(const char *path, size_t max, char **out, size_t *n, cs_error *err);

#endif
