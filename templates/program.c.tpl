
/* JSON literals of the definition, parsed once when the program starts. */
static const char *const $prefix$literals[] = {
$literals$};

static const asl_state_fn $prefix$states[] = {
$functions$};

static const asl_state *const $prefix$descs[] = {
$descs$};

static const asl_program $prefix$program = {
	.abi = ASL2C_ABI,
	.name = $name$,
	.literals = $prefix$literals,
	.n_literals = $n_literals$,
	.states = $prefix$states,
	.descs = $prefix$descs,
	.n_states = $n_states$,
	.start = $start$,
$jsonata$	.timeout_seconds = $timeout$,
	.context_unused = $context_unused$,
$machines$};

