# hold32 - a 32-bit (i386) static program with no libc, for memlock's
# tests on x86_64: another ELF class than the shim, which only the
# tracer's compat path (int $0x80, i386 call numbers) can lock.
# Prints "ready32" and waits in pause() until a signal ends it.
.globl _start
_start:
	movl $4, %eax		# write(1, msg, len)
	movl $1, %ebx
	movl $msg, %ecx
	movl $len, %edx
	int $0x80
1:	movl $29, %eax		# pause()
	int $0x80
	jmp 1b
.data
msg:	.ascii "ready32\n"
len = . - msg
