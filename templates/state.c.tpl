
/* $type$ state $comment$ */
static int
st_$id$(asl_ctx *c, json_t **io)
{
$body$}
