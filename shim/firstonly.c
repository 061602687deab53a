/*
 * firstonly.c - first-only: the program keeps CAP_IPC_LOCK, the programs
 * it executes get none.
 *
 * memlock-exec raised CAP_IPC_LOCK in the inheritable and ambient sets so
 * that it survives the exec into the program.  At the program's own
 * execve() the kernel computes P' = (P_inh & F_inh) | ambient
 * (security/commoncap.c cap_bprm_creds_from_file): clearing the ambient
 * set takes it from every program that follows, and clearing the
 * inheritable set from one whose file carries an inheritable file
 * capability.  Permitted and effective stay: MCL_FUTURE checks every
 * later mmap() of the program against CAP_IPC_LOCK.
 */
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "shim.h"

#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT			47
#define PR_CAP_AMBIENT_CLEAR_ALL	4
#endif

void
ml_shim_first_only_caps(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	/* EINVAL before Linux 4.3: no ambient set, nothing to clear. */
	(void)prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	/* Lowering the inheritable set is always allowed; should it fail,
	 * the ambient set above is already empty. */
	if (syscall(SYS_capget, &h, d) == 0) {
		d[0].inheritable = 0;
		d[1].inheritable = 0;
		(void)syscall(SYS_capset, &h, d);
	}
}
