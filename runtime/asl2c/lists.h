/*
 * asl2c/lists.h - the names the compiler and the runtime share, each
 * written once as an X-macro list (jq's opcode_list.h).  program.h makes
 * its enumerations from these lists, in this order: the order is the ABI
 * (ASL2C_ABI).  The compiler makes from the same lists the names it
 * recognises in a definition and the enumerator names it prints into
 * generated programs, so the two cannot drift apart.
 *
 * Each list takes a macro X and calls it once per entry.
 */
#ifndef ASL2C_LISTS_H
#define ASL2C_LISTS_H

/* The layout of the tables in program.h: a generated program refuses to
 * compile against a runtime header of another layout.  The one definition;
 * the compiler prints it into every program it writes. */
#define ASL2C_ABI 3

/* State types: X(ENUM, "Type" as written, runtime executor). */
#define ASL_STATE_TYPES(X)                                                 \
	X(TASK, "Task", asl_task)                                          \
	X(PASS, "Pass", asl_pass)                                          \
	X(CHOICE, "Choice", asl_choice)                                    \
	X(WAIT, "Wait", asl_wait)                                          \
	X(SUCCEED, "Succeed", asl_succeed)                                 \
	X(FAIL, "Fail", asl_fail_state)                                    \
	X(PARALLEL, "Parallel", asl_parallel)                              \
	X(MAP, "Map", asl_map)

/* Path roots: $ (the input), $$ (the context), $name (a variable), @ (the
 * node a filter tests). */
#define ASL_ROOTS(X) X(INPUT) X(CONTEXT) X(VAR) X(CURRENT)

/* Path segments: .name, [n], .* [*], [a:b:c], ['a','b'], [0,2],
 * [?(expr)]. */
#define ASL_SEG_KINDS(X)                                                   \
	X(MEMBER) X(INDEX) X(WILDCARD) X(SLICE) X(NAMES) X(INDEXES) X(FILTER)

/* Filter expressions: X_MATCH is =~ /regex/, X_EXISTS [?(@.x)], X_PATH and
 * X_LIT operands. */
#define ASL_EXPR_OPS(X)                                                    \
	X(OR) X(AND) X(NOT) X(EQ) X(NE) X(LT) X(LE) X(GT) X(GE) X(MATCH)   \
	X(IN) X(NIN) X(EXISTS) X(PATH) X(LIT)

/* Template values: a constant, "x.$": "$.path", "x.$": "States.Fn(...)",
 * an object or an array holding dynamic values. */
#define ASL_VALUE_KINDS(X) X(LIT) X(PATH) X(CALL) X(OBJECT) X(ARRAY) X(JSONATA)

/* Intrinsic functions: X(ENUM, name, fewest arguments, most (-1: any)). */
#define ASL_FNS(X)                                                         \
	X(FORMAT, "States.Format", 1, -1)                                  \
	X(STRING_TO_JSON, "States.StringToJson", 1, 1)                     \
	X(JSON_TO_STRING, "States.JsonToString", 1, 1)                     \
	X(ARRAY, "States.Array", 0, -1)                                    \
	X(ARRAY_PARTITION, "States.ArrayPartition", 2, 2)                  \
	X(ARRAY_CONTAINS, "States.ArrayContains", 2, 2)                    \
	X(ARRAY_RANGE, "States.ArrayRange", 3, 3)                          \
	X(ARRAY_GET_ITEM, "States.ArrayGetItem", 2, 2)                     \
	X(ARRAY_LENGTH, "States.ArrayLength", 1, 1)                        \
	X(ARRAY_UNIQUE, "States.ArrayUnique", 1, 1)                        \
	X(BASE64_ENCODE, "States.Base64Encode", 1, 1)                      \
	X(BASE64_DECODE, "States.Base64Decode", 1, 1)                      \
	X(HASH, "States.Hash", 2, 2)                                       \
	X(JSON_MERGE, "States.JsonMerge", 3, 3)                            \
	X(MATH_RANDOM, "States.MathRandom", 2, 3)                          \
	X(MATH_ADD, "States.MathAdd", 2, 2)                                \
	X(STRING_SPLIT, "States.StringSplit", 2, 2)                        \
	X(UUID, "States.UUID", 0, 0)

/* Choice rule operations: And, Or, Not, a comparison (type + relation),
 * StringMatches, the Is* tests. */
#define ASL_RULE_OPS(X)                                                    \
	X(AND) X(OR) X(NOT) X(COMPARE) X(MATCHES) X(IS_NULL) X(IS_PRESENT) \
	X(IS_NUMERIC) X(IS_STRING) X(IS_BOOLEAN) X(IS_TIMESTAMP)
#define ASL_CMP_TYPES(X) X(STRING) X(NUMERIC) X(BOOLEAN) X(TIMESTAMP)
#define ASL_RELS(X) X(EQ) X(LT) X(GT) X(LE) X(GE)

/* Choice data-test operators: X("Name", rule op, comparison type,
 * relation).  The comparisons also have a "...Path" form. */
#define ASL_CHOICE_OPERATORS(X)                                            \
	X("StringEquals", COMPARE, STRING, EQ)                             \
	X("StringLessThan", COMPARE, STRING, LT)                           \
	X("StringGreaterThan", COMPARE, STRING, GT)                        \
	X("StringLessThanEquals", COMPARE, STRING, LE)                     \
	X("StringGreaterThanEquals", COMPARE, STRING, GE)                  \
	X("StringMatches", MATCHES, STRING, EQ)                            \
	X("NumericEquals", COMPARE, NUMERIC, EQ)                           \
	X("NumericLessThan", COMPARE, NUMERIC, LT)                         \
	X("NumericGreaterThan", COMPARE, NUMERIC, GT)                      \
	X("NumericLessThanEquals", COMPARE, NUMERIC, LE)                   \
	X("NumericGreaterThanEquals", COMPARE, NUMERIC, GE)                \
	X("BooleanEquals", COMPARE, BOOLEAN, EQ)                           \
	X("TimestampEquals", COMPARE, TIMESTAMP, EQ)                       \
	X("TimestampLessThan", COMPARE, TIMESTAMP, LT)                     \
	X("TimestampGreaterThan", COMPARE, TIMESTAMP, GT)                  \
	X("TimestampLessThanEquals", COMPARE, TIMESTAMP, LE)               \
	X("TimestampGreaterThanEquals", COMPARE, TIMESTAMP, GE)            \
	X("IsNull", IS_NULL, STRING, EQ)                                   \
	X("IsPresent", IS_PRESENT, STRING, EQ)                             \
	X("IsNumeric", IS_NUMERIC, STRING, EQ)                             \
	X("IsString", IS_STRING, STRING, EQ)                               \
	X("IsBoolean", IS_BOOLEAN, STRING, EQ)                             \
	X("IsTimestamp", IS_TIMESTAMP, STRING, EQ)

/* Task resources the runtime runs differently: X(ENUM). */
#define ASL_RESOURCE_KINDS(X) X(LAMBDA_INVOKE) X(LAMBDA_ARN) X(OTHER)

/* ItemReader resources: X(ENUM, the resource's action). */
#define ASL_READER_RESOURCES(X)                                            \
	X(GET_OBJECT, ":s3:getObject") X(LIST_OBJECTS, ":s3:listObjectsV2")

/* ItemReader's ReaderConfig.InputType values. */
#define ASL_INPUT_TYPES(X) X(JSON) X(JSONL) X(CSV) X(MANIFEST) X(PARQUET)

/* ReaderConfig.CSVDelimiter: X(name, the character as a C literal). */
#define ASL_CSV_DELIMITERS(X)                                              \
	X(COMMA, ',') X(PIPE, '|') X(SEMICOLON, ';') X(SPACE, ' ')         \
	X(TAB, '\t')

/* ResultWriter's WriterConfig.Transformation (DEFAULT: not given). */
#define ASL_TRANSFORMATIONS(X) X(DEFAULT) X(NONE) X(COMPACT) X(FLATTEN)

/* The predefined error names: X(ENUM, name). */
#define ASL_ERROR_NAMES(X)                                                 \
	X(ALL, "States.ALL")                                               \
	X(ABORTED, "States.Aborted")                                       \
	X(BRANCH_FAILED, "States.BranchFailed")                            \
	X(CANCELLED, "States.Cancelled")                                   \
	X(DATA_LIMIT_EXCEEDED, "States.DataLimitExceeded")                 \
	X(EXCEED_TOLERATED_FAILURE_THRESHOLD,                              \
	  "States.ExceedToleratedFailureThreshold")                        \
	X(HEARTBEAT_TIMEOUT, "States.HeartbeatTimeout")                    \
	X(INTRINSIC_FAILURE, "States.IntrinsicFailure")                    \
	X(ITEM_READER_FAILED, "States.ItemReaderFailed")                   \
	X(NO_CHOICE_MATCHED, "States.NoChoiceMatched")                     \
	X(PARAMETER_PATH_FAILURE, "States.ParameterPathFailure")           \
	X(PERMISSIONS, "States.Permissions")                               \
	X(QUERY_EVALUATION_ERROR, "States.QueryEvaluationError")           \
	X(RESULT_PATH_MATCH_FAILURE, "States.ResultPathMatchFailure")      \
	X(RESULT_WRITER_FAILED, "States.ResultWriterFailed")               \
	X(RUNTIME, "States.Runtime")                                       \
	X(TASK_FAILED, "States.TaskFailed")                                \
	X(TIMEOUT, "States.Timeout")

#endif /* ASL2C_LISTS_H */
