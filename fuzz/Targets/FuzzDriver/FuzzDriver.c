// Nothing to compile: the header declares what libclang_rt.fuzzer defines.
#include "FuzzDriver.h"
