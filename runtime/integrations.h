/*
 * integrations.h - the optimized service integrations of AWS Step
 * Functions: every arn:aws:states:::SERVICE:ACTION a Task may name, and
 * the integration patterns each accepts.  One table, an X-macro list, for
 * the compiler (which rejects the others, as AWS does) and the runtime.
 * Not installed.
 *
 * Taken from AWS's Developer Guide: "Integrating optimized services with
 * Step Functions" (integrate-optimized, the patterns of each service) and
 * each service's page (connect-<service>, the APIs and their patterns).
 * Where the overview lists a pattern for a service but the service's page
 * names no API that takes it (Bedrock and EKS: .waitForTaskToken), every
 * API of the service takes it: asl2c does not reject what AWS may accept.
 * Express machines take request-response only (checked apart).
 *
 *     ASL_INTEGRATION(SERVICE, ACTION, PATTERNS)
 *
 * SERVICE and ACTION as the ARN writes them; PATTERNS the ASL_PAT_* of
 * the action.  aws-sdk:SERVICE:ACTION (any service and action; request-
 * response and .waitForTaskToken), activities and Lambda function ARNs are
 * not in the table.
 */
#ifndef ASL2C_INTEGRATIONS_H
#define ASL2C_INTEGRATIONS_H

enum {
	ASL_PAT_RESPONSE = 1, /* request-response: no suffix */
	ASL_PAT_SYNC = 2,     /* .sync: run a job */
	ASL_PAT_SYNC2 = 4,    /* .sync:2 (Step Functions: parsed output) */
	ASL_PAT_TOKEN = 8     /* .waitForTaskToken: wait for a callback */
};

#define ASL_RR ASL_PAT_RESPONSE
#define ASL_RR_SYNC (ASL_PAT_RESPONSE | ASL_PAT_SYNC)
#define ASL_RR_TOKEN (ASL_PAT_RESPONSE | ASL_PAT_TOKEN)
#define ASL_RR_SYNC_TOKEN (ASL_PAT_RESPONSE | ASL_PAT_SYNC | ASL_PAT_TOKEN)

#define ASL_INTEGRATIONS(X)                                               \
	/* connect-api-gateway */                                         \
	X("apigateway", "invoke", ASL_RR_TOKEN)                           \
	/* connect-athena */                                              \
	X("athena", "startQueryExecution", ASL_RR_SYNC)                   \
	X("athena", "stopQueryExecution", ASL_RR)                         \
	X("athena", "getQueryExecution", ASL_RR)                          \
	X("athena", "getQueryResults", ASL_RR)                            \
	/* connect-batch */                                               \
	X("batch", "submitJob", ASL_RR_SYNC)                              \
	/* connect-bedrock (.waitForTaskToken: the overview) */           \
	X("bedrock", "invokeModel", ASL_RR_TOKEN)                         \
	X("bedrock", "createModelCustomizationJob", ASL_RR_SYNC_TOKEN)    \
	/* connect-codebuild */                                           \
	X("codebuild", "startBuild", ASL_RR_SYNC)                         \
	X("codebuild", "stopBuild", ASL_RR)                               \
	X("codebuild", "batchDeleteBuilds", ASL_RR)                       \
	X("codebuild", "batchGetReports", ASL_RR)                         \
	X("codebuild", "startBuildBatch", ASL_RR_SYNC)                    \
	X("codebuild", "stopBuildBatch", ASL_RR)                          \
	X("codebuild", "retryBuildBatch", ASL_RR_SYNC)                    \
	X("codebuild", "deleteBuildBatch", ASL_RR)                        \
	/* connect-ddb: only these four; the others are aws-sdk:dynamodb */\
	X("dynamodb", "getItem", ASL_RR)                                  \
	X("dynamodb", "putItem", ASL_RR)                                  \
	X("dynamodb", "updateItem", ASL_RR)                               \
	X("dynamodb", "deleteItem", ASL_RR)                               \
	/* connect-ecs */                                                 \
	X("ecs", "runTask", ASL_RR_SYNC_TOKEN)                            \
	/* connect-eks (.waitForTaskToken: the overview) */               \
	X("eks", "createCluster", ASL_RR_SYNC_TOKEN)                      \
	X("eks", "deleteCluster", ASL_RR_SYNC_TOKEN)                      \
	X("eks", "createFargateProfile", ASL_RR_SYNC_TOKEN)               \
	X("eks", "deleteFargateProfile", ASL_RR_SYNC_TOKEN)               \
	X("eks", "createNodegroup", ASL_RR_SYNC_TOKEN)                    \
	X("eks", "deleteNodegroup", ASL_RR_SYNC_TOKEN)                    \
	X("eks", "runJob", ASL_RR_SYNC_TOKEN)                             \
	X("eks", "call", ASL_RR_TOKEN)                                    \
	/* connect-emr */                                                 \
	X("elasticmapreduce", "createCluster", ASL_RR_SYNC)               \
	X("elasticmapreduce", "setClusterTerminationProtection", ASL_RR)  \
	X("elasticmapreduce", "terminateCluster", ASL_RR_SYNC)            \
	X("elasticmapreduce", "addStep", ASL_RR_SYNC)                     \
	X("elasticmapreduce", "cancelStep", ASL_RR)                       \
	X("elasticmapreduce", "modifyInstanceFleetByName", ASL_RR)        \
	X("elasticmapreduce", "modifyInstanceGroupByName", ASL_RR)        \
	/* connect-emr-eks */                                             \
	X("emr-containers", "createVirtualCluster", ASL_RR)               \
	X("emr-containers", "deleteVirtualCluster", ASL_RR_SYNC)          \
	X("emr-containers", "startJobRun", ASL_RR_SYNC)                   \
	/* connect-emr-serverless */                                      \
	X("emr-serverless", "createApplication", ASL_RR_SYNC)             \
	X("emr-serverless", "startApplication", ASL_RR_SYNC)              \
	X("emr-serverless", "stopApplication", ASL_RR_SYNC)               \
	X("emr-serverless", "deleteApplication", ASL_RR_SYNC)             \
	X("emr-serverless", "startJobRun", ASL_RR_SYNC)                   \
	X("emr-serverless", "cancelJobRun", ASL_RR_SYNC)                  \
	/* connect-eventbridge */                                         \
	X("events", "putEvents", ASL_RR_TOKEN)                            \
	/* connect-glue */                                                \
	X("glue", "startJobRun", ASL_RR_SYNC)                             \
	/* connect-databrew */                                            \
	X("databrew", "startJobRun", ASL_RR_SYNC)                         \
	/* connect-third-party-apis: the HTTP Task */                     \
	X("http", "invoke", ASL_RR)                                       \
	/* connect-lambda */                                              \
	X("lambda", "invoke", ASL_RR_TOKEN)                               \
	/* connect-mediaconvert */                                        \
	X("mediaconvert", "createJob", ASL_RR_SYNC)                       \
	/* connect-sagemaker */                                           \
	X("sagemaker", "createEndpoint", ASL_RR)                          \
	X("sagemaker", "createEndpointConfig", ASL_RR)                    \
	X("sagemaker", "createHyperParameterTuningJob", ASL_RR_SYNC)      \
	X("sagemaker", "createLabelingJob", ASL_RR_SYNC)                  \
	X("sagemaker", "createModel", ASL_RR)                             \
	X("sagemaker", "createProcessingJob", ASL_RR_SYNC)                \
	X("sagemaker", "createTrainingJob", ASL_RR_SYNC)                  \
	X("sagemaker", "createTransformJob", ASL_RR_SYNC)                 \
	X("sagemaker", "updateEndpoint", ASL_RR)                          \
	/* connect-sns */                                                 \
	X("sns", "publish", ASL_RR_TOKEN)                                 \
	/* connect-sqs */                                                 \
	X("sqs", "sendMessage", ASL_RR_TOKEN)                             \
	/* connect-stepfunctions */                                       \
	X("states", "startExecution", ASL_RR_SYNC_TOKEN | ASL_PAT_SYNC2)

#endif /* ASL2C_INTEGRATIONS_H */
