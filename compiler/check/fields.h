/*
 * fields.h - every field of the Amazon States Language, named once: the
 * machine's, the states', and those of the objects inside a state
 * (Retrier, Catcher, Choice rule, Credentials, ProcessorConfig,
 * ItemReader, ReaderConfig, ItemBatcher, ResultWriter, WriterConfig).
 * Choice's comparison operators are asl2c/lists.h's.
 *
 * ASL_FIELDS(X) calls X(ID, "Name", states, query languages, kind) for
 * each: states is the mask of the state types that accept the field
 * (FS_*; 0: no state, only the objects it belongs to), the query
 * languages those of a state (QL_*), kind how the checks read its value
 * in a state (FK_*).  The enum asl_field (FLD_ID) indexes the model's
 * field arrays (model.h).
 */
#ifndef ASL2C_FIELDS_H
#define ASL2C_FIELDS_H

#include <asl2c/program.h>

#define FS_TASK (1u << ASL_TASK)
#define FS_PASS (1u << ASL_PASS)
#define FS_CHOICE (1u << ASL_CHOICE)
#define FS_WAIT (1u << ASL_WAIT)
#define FS_SUCCEED (1u << ASL_SUCCEED)
#define FS_FAIL (1u << ASL_FAIL)
#define FS_PARALLEL (1u << ASL_PARALLEL)
#define FS_MAP (1u << ASL_MAP)
#define FS_ALL 0xFFu
#define FS_FLOW (FS_TASK | FS_PASS | FS_WAIT | FS_PARALLEL | FS_MAP)
#define FS_RUNS (FS_TASK | FS_PARALLEL | FS_MAP) /* Retry, Catch */

/* Query languages a field belongs to. */
enum { QL_PATH = 1, QL_ATA = 2, QL_BOTH = 3 };

enum field_kind {
	FK_SPECIAL,    /* checked by the state's own code */
	FK_STRING,
	FK_BOOL,
	FK_NAME,       /* a state name: a transition */
	FK_PATH,       /* Path or null */
	FK_REF,        /* Reference Path */
	FK_RESULT,     /* ResultPath: Reference Path into the input, or null */
	FK_TEMPLATE,   /* payload template (JSONPath) */
	FK_JSONATA,    /* any JSON, "{% %}" strings are expressions */
	FK_ASSIGN,
	FK_RESULTVAL,  /* Pass's Result */
	FK_POSINT,     /* 1..99999999 */
	FK_NONNEG,     /* 0..99999999 */
	FK_PERCENT,    /* 0..100 */
	FK_TIMESTAMP,
	FK_ERRSTR,     /* Fail's Error and Cause */
	FK_STREXPR,    /* Fail's ErrorPath and CausePath */
	FK_QL          /* QueryLanguage */
};

#define ASL_FIELDS(X) \
	/* the machine and the scopes (branches, Map processors) */ \
	X(START_AT, "StartAt", 0, QL_BOTH, FK_SPECIAL) \
	X(STATES, "States", 0, QL_BOTH, FK_SPECIAL) \
	X(VERSION, "Version", 0, QL_BOTH, FK_SPECIAL) \
	X(PROCESSOR_CONFIG, "ProcessorConfig", 0, QL_BOTH, FK_SPECIAL) \
	/* every state */ \
	X(TYPE, "Type", FS_ALL, QL_BOTH, FK_SPECIAL) \
	X(COMMENT, "Comment", FS_ALL, QL_BOTH, FK_STRING) \
	X(QUERY_LANGUAGE, "QueryLanguage", FS_ALL, QL_BOTH, FK_QL) \
	X(NEXT, "Next", FS_FLOW, QL_BOTH, FK_NAME) \
	X(END, "End", FS_FLOW, QL_BOTH, FK_BOOL) \
	X(INPUT_PATH, "InputPath", FS_ALL & ~FS_FAIL, QL_PATH, FK_PATH) \
	X(OUTPUT_PATH, "OutputPath", FS_ALL & ~FS_FAIL, QL_PATH, FK_PATH) \
	X(PARAMETERS, "Parameters", FS_TASK | FS_PASS | FS_PARALLEL | FS_MAP, \
	  QL_PATH, FK_TEMPLATE) \
	X(RESULT_SELECTOR, "ResultSelector", FS_RUNS, QL_PATH, FK_TEMPLATE) \
	X(RESULT_PATH, "ResultPath", FS_TASK | FS_PASS | FS_PARALLEL | FS_MAP, \
	  QL_PATH, FK_RESULT) \
	X(RETRY, "Retry", FS_RUNS, QL_BOTH, FK_SPECIAL) \
	X(CATCH, "Catch", FS_RUNS, QL_BOTH, FK_SPECIAL) \
	X(ASSIGN, "Assign", FS_ALL & ~(FS_SUCCEED | FS_FAIL), QL_BOTH, \
	  FK_ASSIGN) \
	X(OUTPUT, "Output", FS_ALL & ~FS_FAIL, QL_ATA, FK_JSONATA) \
	X(ARGUMENTS, "Arguments", FS_TASK | FS_PARALLEL, QL_ATA, FK_JSONATA) \
	/* Task */ \
	X(RESOURCE, "Resource", FS_TASK, QL_BOTH, FK_SPECIAL) \
	X(TIMEOUT_SECONDS, "TimeoutSeconds", FS_TASK, QL_BOTH, FK_POSINT) \
	X(TIMEOUT_SECONDS_PATH, "TimeoutSecondsPath", FS_TASK, QL_PATH, \
	  FK_REF) \
	X(HEARTBEAT_SECONDS, "HeartbeatSeconds", FS_TASK, QL_BOTH, FK_POSINT) \
	X(HEARTBEAT_SECONDS_PATH, "HeartbeatSecondsPath", FS_TASK, QL_PATH, \
	  FK_REF) \
	X(CREDENTIALS, "Credentials", FS_TASK, QL_BOTH, FK_SPECIAL) \
	/* Pass, Choice, Wait, Fail */ \
	X(RESULT, "Result", FS_PASS, QL_PATH, FK_RESULTVAL) \
	X(CHOICES, "Choices", FS_CHOICE, QL_BOTH, FK_SPECIAL) \
	X(DEFAULT, "Default", FS_CHOICE, QL_BOTH, FK_NAME) \
	X(SECONDS, "Seconds", FS_WAIT, QL_BOTH, FK_NONNEG) \
	X(SECONDS_PATH, "SecondsPath", FS_WAIT, QL_PATH, FK_REF) \
	X(TIMESTAMP, "Timestamp", FS_WAIT, QL_BOTH, FK_TIMESTAMP) \
	X(TIMESTAMP_PATH, "TimestampPath", FS_WAIT, QL_PATH, FK_REF) \
	X(ERROR, "Error", FS_FAIL, QL_BOTH, FK_ERRSTR) \
	X(ERROR_PATH, "ErrorPath", FS_FAIL, QL_PATH, FK_STREXPR) \
	X(CAUSE, "Cause", FS_FAIL, QL_BOTH, FK_ERRSTR) \
	X(CAUSE_PATH, "CausePath", FS_FAIL, QL_PATH, FK_STREXPR) \
	/* Parallel, Map */ \
	X(BRANCHES, "Branches", FS_PARALLEL, QL_BOTH, FK_SPECIAL) \
	X(ITEM_PROCESSOR, "ItemProcessor", FS_MAP, QL_BOTH, FK_SPECIAL) \
	X(ITERATOR, "Iterator", FS_MAP, QL_BOTH, FK_SPECIAL) \
	X(ITEMS_PATH, "ItemsPath", FS_MAP, QL_PATH, FK_REF) \
	X(ITEMS, "Items", FS_MAP, QL_ATA, FK_JSONATA) \
	X(ITEM_SELECTOR, "ItemSelector", FS_MAP, QL_BOTH, FK_TEMPLATE) \
	X(MAX_CONCURRENCY, "MaxConcurrency", FS_MAP, QL_BOTH, FK_NONNEG) \
	X(MAX_CONCURRENCY_PATH, "MaxConcurrencyPath", FS_MAP, QL_PATH, FK_REF) \
	X(ITEM_READER, "ItemReader", FS_MAP, QL_BOTH, FK_SPECIAL) \
	X(ITEM_BATCHER, "ItemBatcher", FS_MAP, QL_BOTH, FK_SPECIAL) \
	X(RESULT_WRITER, "ResultWriter", FS_MAP, QL_BOTH, FK_SPECIAL) \
	X(TOLERATED_FAILURE_PERCENTAGE, "ToleratedFailurePercentage", FS_MAP, \
	  QL_BOTH, FK_PERCENT) \
	X(TOLERATED_FAILURE_PERCENTAGE_PATH, "ToleratedFailurePercentagePath", \
	  FS_MAP, QL_PATH, FK_REF) \
	X(TOLERATED_FAILURE_COUNT, "ToleratedFailureCount", FS_MAP, QL_BOTH, \
	  FK_NONNEG) \
	X(TOLERATED_FAILURE_COUNT_PATH, "ToleratedFailureCountPath", FS_MAP, \
	  QL_PATH, FK_REF) \
	X(LABEL, "Label", FS_MAP, QL_BOTH, FK_SPECIAL) \
	/* Retrier, Catcher */ \
	X(ERROR_EQUALS, "ErrorEquals", 0, QL_BOTH, FK_SPECIAL) \
	X(INTERVAL_SECONDS, "IntervalSeconds", 0, QL_BOTH, FK_SPECIAL) \
	X(MAX_ATTEMPTS, "MaxAttempts", 0, QL_BOTH, FK_SPECIAL) \
	X(BACKOFF_RATE, "BackoffRate", 0, QL_BOTH, FK_SPECIAL) \
	X(MAX_DELAY_SECONDS, "MaxDelaySeconds", 0, QL_BOTH, FK_SPECIAL) \
	X(JITTER_STRATEGY, "JitterStrategy", 0, QL_BOTH, FK_SPECIAL) \
	/* Choice rules */ \
	X(VARIABLE, "Variable", 0, QL_BOTH, FK_SPECIAL) \
	X(AND, "And", 0, QL_BOTH, FK_SPECIAL) \
	X(OR, "Or", 0, QL_BOTH, FK_SPECIAL) \
	X(NOT, "Not", 0, QL_BOTH, FK_SPECIAL) \
	X(CONDITION, "Condition", 0, QL_BOTH, FK_SPECIAL) \
	/* Credentials, ProcessorConfig */ \
	X(ROLE_ARN, "RoleArn", 0, QL_BOTH, FK_SPECIAL) \
	X(ROLE_ARN_DOLLAR, "RoleArn.$", 0, QL_BOTH, FK_SPECIAL) \
	X(MODE, "Mode", 0, QL_BOTH, FK_SPECIAL) \
	X(EXECUTION_TYPE, "ExecutionType", 0, QL_BOTH, FK_SPECIAL) \
	/* ItemReader, ReaderConfig */ \
	X(READER_CONFIG, "ReaderConfig", 0, QL_BOTH, FK_SPECIAL) \
	X(INPUT_TYPE, "InputType", 0, QL_BOTH, FK_SPECIAL) \
	X(CSV_HEADER_LOCATION, "CSVHeaderLocation", 0, QL_BOTH, FK_SPECIAL) \
	X(CSV_HEADERS, "CSVHeaders", 0, QL_BOTH, FK_SPECIAL) \
	X(CSV_DELIMITER, "CSVDelimiter", 0, QL_BOTH, FK_SPECIAL) \
	X(MAX_ITEMS, "MaxItems", 0, QL_BOTH, FK_SPECIAL) \
	X(MAX_ITEMS_PATH, "MaxItemsPath", 0, QL_BOTH, FK_SPECIAL) \
	X(MANIFEST_TYPE, "ManifestType", 0, QL_BOTH, FK_SPECIAL) \
	X(TRANSFORMATION, "Transformation", 0, QL_BOTH, FK_SPECIAL) \
	X(ITEMS_POINTER, "ItemsPointer", 0, QL_BOTH, FK_SPECIAL) \
	/* ItemBatcher */ \
	X(MAX_ITEMS_PER_BATCH, "MaxItemsPerBatch", 0, QL_BOTH, FK_SPECIAL) \
	X(MAX_ITEMS_PER_BATCH_PATH, "MaxItemsPerBatchPath", 0, QL_BOTH, \
	  FK_SPECIAL) \
	X(MAX_INPUT_BYTES_PER_BATCH, "MaxInputBytesPerBatch", 0, QL_BOTH, \
	  FK_SPECIAL) \
	X(MAX_INPUT_BYTES_PER_BATCH_PATH, "MaxInputBytesPerBatchPath", 0, \
	  QL_BOTH, FK_SPECIAL) \
	X(BATCH_INPUT, "BatchInput", 0, QL_BOTH, FK_SPECIAL) \
	/* ResultWriter, WriterConfig */ \
	X(WRITER_CONFIG, "WriterConfig", 0, QL_BOTH, FK_SPECIAL) \
	X(OUTPUT_TYPE, "OutputType", 0, QL_BOTH, FK_SPECIAL)

#define FLD_ENUM_(id, name, states, ql, kind) FLD_##id,
enum asl_field { ASL_FIELDS(FLD_ENUM_) FLD_COUNT };
#undef FLD_ENUM_

typedef struct field_info {
	const char *name;
	unsigned states;         /* FS_* */
	unsigned char ql;        /* QL_* */
	unsigned char kind;      /* enum field_kind */
} field_info;

const field_info *field_info_of(enum asl_field f);
const char *field_name(enum asl_field f);
/* The field called key, or -1. */
int field_lookup(const char *key);

#endif
