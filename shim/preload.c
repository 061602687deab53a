/* preload.c - placeholder until the preload shim lands. */
