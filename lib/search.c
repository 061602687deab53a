/*
 * search.c - ml_path_search(): the file execvp() would run.  libc only:
 * lib/program.c inspects that file for check --for, run and memlock-trace,
 * and the shim (shim/exec.c) for the programs a locked program executes.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* execvp()'s search: the first executable match wins; a match that is
 * not executable is remembered so the error says EACCES, not ENOENT. */
int
ml_path_search(const char *name, const char *path, char *out, size_t size)
{
	const char *p;
	int seen_eacces = 0;

	if (name[0] == '\0') {
		errno = ENOENT;
		return -1;
	}
	if (strchr(name, '/') != NULL)
		return ml_strlcpy(out, name, size) == 0 ? 0 :
		    (errno = ENAMETOOLONG, -1);
	if (path == NULL || path[0] == '\0')
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path;; ) {
		const char *colon = strchr(p, ':');
		size_t dlen = colon ? (size_t)(colon - p) : strlen(p);
		struct stat st;

		/* An empty entry means the current directory. */
		if (dlen + 1 + strlen(name) + 1 <= size) {
			if (dlen == 0)
				(void)ml_strlcpy(out, name, size);
			else {
				memcpy(out, p, dlen);
				out[dlen] = '/';
				(void)ml_strlcpy(out + dlen + 1, name,
				    size - dlen - 1);
			}
			if (stat(out, &st) == 0 && !S_ISDIR(st.st_mode)) {
				if (faccessat(AT_FDCWD, out, X_OK,
				    AT_EACCESS) == 0)
					return 0;
				seen_eacces = 1;
			}
		}
		if (colon == NULL)
			break;
		p = colon + 1;
	}
	errno = seen_eacces ? EACCES : ENOENT;
	return -1;
}

