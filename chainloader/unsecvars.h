/*
 * unsecvars.h - the environment variables the dynamic loader deletes
 * before memlock-exec's main() runs, and which memlock-exec hands back to
 * the program as the user set them.
 *
 * A non-root user's execve() of memlock-exec grows its permitted set
 * beyond the ambient set, so the kernel passes AT_SECURE=1
 * (security/commoncap.c cap_bprm_creds_from_file) and glibc's ld.so
 * unsets every name on its UNSECURE_ENVVARS list (elf/rtld.c
 * process_envvars, sysdeps/generic/unsecvars.h) and rewrites
 * GLIBC_TUNABLES without its SXID_ERASE tunables (elf/dl-tunables.c).
 * Measured on Debian 12's glibc 2.36: exactly the names below except
 * LD_USE_LOAD_BIAS, which older glibc deletes too; newer glibc deletes
 * GLIBC_TUNABLES whole.
 *
 * memlock run passes each one the user had set as MEMLOCK_SAVED_<NAME>;
 * memlock-exec restores those names, and only those.  This grants
 * nothing: the user could have named any program and set any of these for
 * it.  memlock-exec itself never reads any of them.
 */
#ifndef MEMLOCK_UNSECVARS_H
#define MEMLOCK_UNSECVARS_H

#define MEMLOCK_SAVED_PREFIX "MEMLOCK_SAVED_"

#define MEMLOCK_UNSECVARS \
	"GCONV_PATH", "GETCONF_DIR", "GLIBC_TUNABLES", "HOSTALIASES", \
	"LD_AUDIT", "LD_DEBUG", "LD_DEBUG_OUTPUT", "LD_DYNAMIC_WEAK", \
	"LD_HWCAP_MASK", "LD_LIBRARY_PATH", "LD_ORIGIN_PATH", "LD_PRELOAD", \
	"LD_PROFILE", "LD_SHOW_AUXV", "LD_USE_LOAD_BIAS", "LOCALDOMAIN", \
	"LOCPATH", "MALLOC_CHECK_", "MALLOC_TRACE", "NIS_PATH", "NLSPATH", \
	"RESOLV_HOST_CONF", "RES_OPTIONS", "TMPDIR", "TZDIR"

#endif
