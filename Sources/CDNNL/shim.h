#include <dnnl.h>
#include <dnnl_debug.h>
// oneDNN (Debian's build) runs its kernels on libgomp's OpenMP threads: these set and read the thread
// count of the calling thread's following parallel regions. Declared here so no OpenMP header is needed.
void omp_set_num_threads(int num_threads);
int omp_get_max_threads(void);
