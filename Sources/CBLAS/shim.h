#include <cblas.h>
// OpenBLAS extensions: thread count and the name of the kernel it picked for this CPU.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_corename(void);
