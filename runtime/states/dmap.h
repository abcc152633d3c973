/*
 * dmap.h - the Distributed Map's executor (dmap.c), on the data layer's
 * readers and writer (data/data.h).  See doc/distributed-map.md.  Not
 * installed.
 */
#ifndef ASL2C_DMAP_H
#define ASL2C_DMAP_H

#include "data/data.h"

/* A Distributed Map's work (called by map.c). */
int asl_dmap_work(asl_ctx *c, const asl_state *s, json_t *eff,
                  json_t **result);

#endif /* ASL2C_DMAP_H */
