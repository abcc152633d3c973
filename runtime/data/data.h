/*
 * data.h - data in and out of the Maps: S3 as a folder (s3local.c), the
 * streamed item readers (itemreader.c), the result writer (resultwriter.c).
 * See doc/distributed-map.md.  Not installed.
 */
#ifndef ASL2C_DATA_H
#define ASL2C_DATA_H

#include "internal.h"

#include <stdio.h>

/* ---- S3 as a folder (s3local.c): s3://BUCKET/KEY is ROOT/BUCKET/KEY */

/* Set the folder (--s3-root); before any execution starts. */
void asl_s3_set_root(const char *dir);
const char *asl_s3_root(void);

/* Each function takes the context for its request ids (or NULL).
 * S3's error for a request: NULL when it succeeded, else a cause as the
 * AWS SDK prints it ("... (Service: S3, Status Code: 404, Error Code:
 * NoSuchKey, Request ID: ...)"), to free. */
typedef char *asl_s3_err;

/* S3's limit on a key, in bytes. */
#define ASL_S3_KEY_MAX 1024
/* The most entries a listing reads from one folder (it sorts them). */
#define ASL_S3_LIST_FOLDER_MAX 1000000

/* getObject: the object opened for reading, or NULL and *err.  Never
 * through a link (see s3local.c). */
FILE *asl_s3_get(asl_ctx *c, const char *bucket, const char *key,
                 asl_s3_err *err);

/* listObjectsV2 over Prefix, streamed in S3's key order (UTF-8 byte
 * order of the whole key).  Items: {Key, LastModified, ETag, Size,
 * StorageClass}.  Links are no objects: never entered, never listed. */
typedef struct asl_s3_list asl_s3_list;
asl_s3_list *asl_s3_list_open(asl_ctx *c, const char *bucket,
                              const char *prefix, asl_s3_err *err);
/* The next object: 1 with *obj (a new reference), 0 at the end, -1 with
 * *err. */
int asl_s3_list_next(asl_s3_list *l, asl_ctx *c, json_t **obj,
                     asl_s3_err *err);
void asl_s3_list_close(asl_s3_list *l);

/* putObject, streamed: create ROOT/BUCKET/KEY (and its folders), never
 * through a link; an existing regular file is replaced, not written
 * through. */
FILE *asl_s3_put(asl_ctx *c, const char *bucket, const char *key,
                 asl_s3_err *err);
/* Does the bucket exist?  NULL, or the NoSuchBucket error. */
asl_s3_err asl_s3_check_bucket(asl_ctx *c, const char *bucket);
/* Can key be a file beneath the bucket's folder?  NULL, or S3's error
 * (KeyTooLongError, or AccessDenied with the reason). */
asl_s3_err asl_s3_check_key(asl_ctx *c, const char *bucket, const char *key);
/* S3's error for the file system's errno on s3://bucket/key. */
asl_s3_err asl_s3_io_error(asl_ctx *c, const char *bucket, const char *key,
                           int errnum);

/* Open path ("a/b/c") beneath the folder dirfd with flags, following no
 * link on the way: openat2 where the kernel has it, else the walk.
 * -1 with errno (ELOOP: a link). */
int asl_s3_open_beneath(int dirfd, const char *path, int flags);
/* The same by openat(..., O_NOFOLLOW) per component. */
int asl_s3_walk(int dirfd, const char *path, int flags);

/* ---- item readers (itemreader.c) */

typedef struct asl_reader asl_reader;

/* Open the items of a Distributed Map: its ItemReader, or the array its
 * ItemsPath selects in eff.  NULL after raising in c. */
asl_reader *asl_reader_open(asl_ctx *c, const asl_state *s, json_t *eff);
/* The next item: 1 with *item (a new reference) and *source (the object
 * it came from, s3://bucket/key, borrowed until the next call, or NULL);
 * 0 at the end; -1 after raising in c. */
int asl_reader_next(asl_reader *r, asl_ctx *c, json_t **item,
                    const char **source);
void asl_reader_close(asl_reader *r);

/* ---- result writer (resultwriter.c) */

enum asl_run_status { ASL_RUN_SUCCEEDED, ASL_RUN_FAILED, ASL_RUN_PENDING };

typedef struct asl_rwriter asl_rwriter;

/* Open the writer of one Map Run (s->result_writer) under
 * Prefix/MAP_RUN_ID/.  NULL after raising States.ResultWriterFailed in c
 * (or the JSONPath or JSONata error of its Parameters or Arguments). */
asl_rwriter *asl_rwriter_open(asl_ctx *c, const asl_state *s, json_t *eff,
                              const char *map_run_arn,
                              const char *map_run_id);
/* Write one child execution's result: entry (consumed) is its full
 * record, output (borrowed) its output when it succeeded, which COMPACT
 * and FLATTEN write instead.  -1 when the file cannot be written. */
int asl_rwriter_add(asl_rwriter *w, int status, json_t *entry,
                    json_t *output);
/* Why the last asl_rwriter_add failed: S3's error, with its reason. */
const char *asl_rwriter_error(const asl_rwriter *w);
/* Close the files and write manifest.json.  The Map's result
 * ({MapRunArn, ResultWriterDetails}) in *result; -1 after raising. */
int asl_rwriter_close(asl_rwriter *w, asl_ctx *c, json_t **result);
/* Free a writer without finishing it. */
void asl_rwriter_free(asl_rwriter *w);

#endif /* ASL2C_DATA_H */
