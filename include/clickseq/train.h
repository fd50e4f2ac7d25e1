/* train.h — training runs: every header of the train layer's run API, for code written
 * before they were split (one concept each; include the one you need):
 *   runconfig.h  the run configuration: defaults, presets, checks, config text
 *   params.h     the parameter table (names <-> fields, ranges, choices, form groups)
 *   monitor.h    history, run states, snapshots, the monitor (watch and steer a run)
 *   trainer.h    cs_train, cs_predict */
#ifndef CLICKSEQ_TRAIN_H
#define CLICKSEQ_TRAIN_H

#include <pthread.h>

#include "clickseq/monitor.h"
#include "clickseq/params.h"
#include "clickseq/runconfig.h"
#include "clickseq/trainer.h"

#endif
