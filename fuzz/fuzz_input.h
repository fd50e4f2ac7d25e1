/* fuzz_input.h — the CSV harnesses' input as a file: the bytes after the option byte,
 * written into one memfd per process, read back through /proc/self/fd/N. */
#ifndef FUZZ_INPUT_H
#define FUZZ_INPUT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

static int fuzz_fd = -1;

/* data[1..size-1] into the memfd; its path into path[0..n-1] (size >= 1). */
static inline void fuzz_input_file(const uint8_t *data, size_t size, char *path, size_t n)
{
    if (fuzz_fd < 0 && (fuzz_fd = memfd_create("fuzz", 0)) < 0)
        abort();
    if (ftruncate(fuzz_fd, 0) != 0 ||
        pwrite(fuzz_fd, data + 1, size - 1, 0) != (ssize_t)(size - 1))
        abort();
    snprintf(path, n, "/proc/self/fd/%d", fuzz_fd);
}

#endif
