/* cell_simd.h (internal) — how the cells' element-wise loops are compiled.  Include it
 * only from cell_*.c, after the other headers: the pragma applies to every function the
 * including file defines after it.
 *
 * The loops are compiled for AVX-512, AVX2 and baseline (target_clones, chosen at load
 * time) and vectorised (O3 for these files); exp/tanh use cs_vsigmoid / cs_vtanh.  clang
 * has no per-file optimisation pragma: it keeps the build's -O.
 *
 * Not under ThreadSanitizer: the clones' ifunc resolvers run while the program is being
 * relocated, before the TSan runtime exists, and the instrumented resolver crashes at
 * start-up.  The TSan build checks threading, not vector paths. */
#ifndef CS_CELL_SIMD_H
#define CS_CELL_SIMD_H

#ifndef __clang__
#pragma GCC optimize("O3")
#endif
#if defined(__SANITIZE_THREAD__)
#define CELL_CLONES
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CELL_CLONES
#endif
#endif
#ifndef CELL_CLONES
#define CELL_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#endif

#endif
