# labs/06-best-practices/bplab.sh - what the image best-practice labs share (sourced by their
# lab.sh after setting LAB_NAME; not a lab itself).
#
# The container labs' mrlab.sh gives each lab a store and a namespace of its own (and the
# `minirun` function of $LAB_STATE/env); this adds images that look like Debian to sbom
# and scan without downloading one:
#
#	deb_image REF KIND   a one-layer image REF: busybox's files, Debian's os-release, and a
#	                     dpkg database copied from this machine's own /var/lib/dpkg/status:
#	                     KIND full keeps every installed package (a fat base: compilers,
#	                     tools, all this machine has), KIND slim only those of priority
#	                     "required" and libc6 (about what a minimal Debian base,
#	                     debian:bookworm-slim, holds)
#	need_dpkg            exit 77 unless this machine is Debian-like (has that status file)
#
# The package names and versions are real (this machine's), so the advisories the scan lab
# writes name real packages at their real versions. No file of the machine is changed.
# POSIX sh: runs under dash and busybox ash.
. "$(dirname "$0")/../../01-fundamentals/mrlab.sh"

need_dpkg() {
	[ -s /var/lib/dpkg/status ] && [ -s /etc/os-release ] ||
		{ echo "needs a Debian-like machine (its /var/lib/dpkg/status makes the lab's images)"; exit 77; }
}

# deb_image REF full|slim
deb_image() {
	_t=$LAB_STATE/tree-$2
	rm -rf "$_t" && mkdir -p "$_t/etc" "$_t/var/lib/dpkg" || return 1
	tar -C "$_t" -xf "$MR_IMAGE_TAR" || return 1
	rm -f "$_t/etc/os-release"
	cp /etc/os-release "$_t/etc/os-release" 2>/dev/null || cp -L /etc/os-release "$_t/etc/os-release"
	# stanzas are separated by empty lines: keep the installed ones (and, for slim, those of
	# priority required, and libc6)
	awk -v kind="$2" 'BEGIN { RS = ""; ORS = "\n\n" }
		/\nStatus: install ok installed/ &&
		(kind == "full" || /\nPriority: required/ || /^Package: libc6\n/)' \
		/var/lib/dpkg/status >"$_t/var/lib/dpkg/status" || return 1
	(cd "$_t" && tar -cf "$LAB_STATE/$2.tar" .) || return 1
	rm -rf "$_t"
	minirun import -c 'CMD ["sh"]' "$LAB_STATE/$2.tar" "$1" >/dev/null || return 1
	rm -f "$LAB_STATE/$2.tar"
}
