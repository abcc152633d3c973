
/* JSON literals of the definition, parsed once when the program starts. */
static const char *const literals[] = {
$literals$};

static const asl_state_fn states[] = {
$functions$};

static const asl_state *const descs[] = {
$descs$};

static const asl_program program = {
	.abi = ASL2C_ABI,
	.name = $name$,
	.literals = literals,
	.n_literals = $n_literals$,
	.states = states,
	.descs = descs,
	.n_states = $n_states$,
	.start = $start$,
$jsonata$	.timeout_seconds = $timeout$,
	.context_unused = $context_unused$,
};

/* The program, for a main() of your own: compile with -DASL2C_NO_MAIN and
 * call asl_main(argc, argv, asl2c_program(), your_register_function). */
const asl_program *asl2c_program(void);
const asl_program *
asl2c_program(void)
{
	return &program;
}

#ifndef ASL2C_NO_MAIN
int
main(int argc, char **argv)
{
	return asl_main(argc, argv, &program, NULL);
}
#endif
