/* runstore.h — the run store: every header of runs on disk, for code written before they
 * were split (one concept each; include the one you need):
 *   files.h    atomic files, temporaries, whole-file reads (core)
 *   hash.h     CRC-32 and the hashes stored values depend on (core)
 *   weights.h  model.bin: weights format, model-config hash, weights <-> model (runs)
 *   rundir.h   run directories: save, load, list (runs) */
#ifndef CLICKSEQ_RUNSTORE_H
#define CLICKSEQ_RUNSTORE_H

#include "clickseq/files.h"
#include "clickseq/hash.h"
#include "clickseq/rundir.h"
#include "clickseq/weights.h"

#endif
