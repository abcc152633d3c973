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
