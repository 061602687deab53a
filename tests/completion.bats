#!/usr/bin/env bats
# completion.bats - completions/memlock, driven the way bash does: Debian's
# bash-completion loaded, the file sourced, "complete -p" checked, then
# _memlock called with COMP_WORDS/COMP_CWORD for what a user has typed.

bats_require_minimum_version 1.5.0
load lib

BC=/usr/share/bash-completion/bash_completion

setup() {
	[ -r "$BC" ] || skip "bash-completion not installed (scripts/setup installs it)"
}

# complete WORD... - COMPREPLY, one per line, for the command line WORDs
# (the last one is the word being completed), in a fresh bash.
complete_words() {
	PATH="$(dirname "$MEMLOCK"):$PATH" bash -c '
		. "$1"; . "$2"; shift 2
		complete -p memlock
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_memlock memlock "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}"' bash "$BC" "$BATS_TEST_DIRNAME/../completions/memlock" "$@"
}

@test "complete -p: _memlock completes memlock" {
	run -0 complete_words memlock ""
	[ "${lines[0]}" = "complete -F _memlock memlock" ]
}

@test "the subcommands" {
	run -0 complete_words memlock ""
	[ "$(printf '%s\n' "${lines[@]:1}" | grep -v '^-' | sort | paste -sd' ')" = "check run status" ]
	run -0 complete_words memlock st
	[ "${lines[1]}" = status ]
}

@test "options come from the subcommand's --help: memlock run --no-" {
	run -0 complete_words memlock run --no-
	[ "$(printf '%s\n' "${lines[@]:1}" | sort | paste -sd' ')" = "--no-coredump --no-lock" ]
	run -0 complete_words memlock status --pro
	[ "${lines[1]}" = --prometheus ]
}

@test "memlock check --platform: every platform, container included" {
	run -0 complete_words memlock check --platform ""
	[ "$(printf '%s\n' "${lines[@]:1}" | sort | paste -sd' ')" = "all container docker host kubernetes podman systemd" ]
}

@test "memlock run -- PROG: a command, then that command's own arguments" {
	run -0 complete_words memlock run --quiet -- bas
	printf '%s\n' "${lines[@]:1}" | grep -qx bash
	run -0 complete_words memlock run -- ls --
	[ "${#lines[@]}" -ge 1 ]
}
