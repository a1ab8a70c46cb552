# tests/differential/lib.sh - the runner of the differential cases (POSIX sh; sourced, not a
# suite): read a case file, run every case with one engine, compare two engines' results.
#
# A case file holds one case a line (blank lines and lines starting with # are comments):
#
#	NAME | COMPARE | COMMAND
#	    deliberate: REASON
#
#   NAME      a word ([a-z0-9-]); containers the case makes are named after it, and the
#             runner removes the container NAME (rm -f) after the case, whatever happened
#   COMPARE   what must match, space-separated: rc (the exit status of the whole command),
#             out (stdout), err (stderr), i=Path (after COMMAND, `inspect -f '{{json .Path}}'
#             NAME`, e.g. i=HostConfig.Memory); `-` compares nothing (a setup or cleanup step)
#   COMMAND   the rest of the line (it may hold " | " itself): a shell command line where D
#             is the engine's CLI (`docker` or `minirun --root ...`), $W a scratch directory
#             of the engine's own (for cp, save, load), $IMG the rootfs tar both imported
#   deliberate: an indented line right after a case: the difference is kept on purpose and
#             REASON says why; the case passes when it differs, and says so when it no
#             longer does
#
# What is compared is normalised the same way on both sides (dc_norm): the error prefixes of
# each CLI ("Error response from daemon: ", "docker: ", "Error: ", "minirun: "; one error
# voice is minirun's choice, the words after it must match), the program's name in "See
# 'docker run --help'." and "Usage:  docker", docker's CLI's own log lines (time="..."
# level=...), a period ending a line (docker's CLI adds one
# to some daemon errors and not to others), and IDs (64 and 12 hex digits).
#
#	dc_parse FILE                 the cases as NAME<TAB>COMPARE<TAB>COMMAND<TAB>DELIBERATE lines
#	dc_run_all FILE ENGINE OUT    run every case of FILE with ENGINE (docker | minirun; D must
#	                              be defined), results in OUT/NAME.{rc,out,err,i}
#	dc_compare NAME CMP DOCKER MINIRUN  the normalised differences of one case (empty: same)
#
# See: tests/differential/docker.t (the suite), tests/differential/README.md.

DC_TAB=$(printf '\t')

# dc_parse FILE - print each case of FILE on one line, tab-separated
dc_parse() {
	awk '
	function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
	function flush() { if (name != "") print name "\t" cmp "\t" cmd "\t" why; name = "" }
	/^[ \t]+deliberate:/ { sub(/^[ \t]+deliberate:[ \t]*/, ""); why = $0; next }
	/^[ \t]*(#|$)/ { next }
	{
		flush()
		i = index($0, " | "); name = trim(substr($0, 1, i - 1)); rest = substr($0, i + 3)
		j = index(rest, " | "); cmp = trim(substr(rest, 1, j - 1)); cmd = trim(substr(rest, j + 3))
		why = ""
		if (i == 0 || j == 0 || name !~ /^[a-z0-9-]+$/) {
			print "dc_parse: " FILENAME ":" NR ": want NAME | COMPARE | COMMAND" > "/dev/stderr"
			exit 2
		}
	}
	END { flush() }' "$1"
}

# dc_run_all FILE ENGINE OUT - run the cases of FILE in order with D (the caller's engine
# function), each in a subshell with stdin from /dev/null
dc_run_all() {
	mkdir -p "$3"
	dc_parse "$1" >"$3/cases" || return 2
	while IFS="$DC_TAB" read -r _n _cmp _cmd _why; do
		(eval "$_cmd") </dev/null >"$3/$_n.out" 2>"$3/$_n.err"
		echo $? >"$3/$_n.rc"
		: >"$3/$_n.i"
		for _c in $_cmp; do
			case $_c in
			i=*) D inspect -f "{{json .${_c#i=}}}" "$_n" >>"$3/$_n.i" 2>&1 </dev/null ;;
			esac
		done
		# only a case that names a container after itself made one (saves a call a case)
		# (one the case did not make, or removed itself, is no failure of the run)
		case $_cmd in *"--name $_n "*) D rm -f "$_n" </dev/null >/dev/null 2>&1 || : ;; esac
	done <"$3/cases"
}

# dc_norm - stdin to stdout with what may differ between the engines made the same
dc_norm() {
	# (a logrus line docker's CLI may add, "time=... level=error msg=...", is not output)
	sed -E "/^time=\"[^\"]*\" level=/d;
		s/^(docker: )?(Error response from daemon: |Error: )?//;
		s/^minirun: //; s/\.\$//;
		s/'docker /'minirun /g; s/Usage:  docker /Usage:  minirun /; s/^\"docker /\"minirun /;
		s/is not a docker command/is not a minirun command/;
		s/[0-9a-f]{64}/<ID>/g; s/(^|[^0-9a-f])[0-9a-f]{12}([^0-9a-f]|\$)/\1<id>\2/g"
}

# dc_compare NAME COMPARE DOCKER-DIR MINIRUN-DIR - print the differences of one case
dc_compare() {
	for _c in $2; do
		case $_c in
		-) continue ;;
		rc | out | err) _f=$_c ;;
		i=*) _f=i ;;
		*)
			echo "unknown comparison '$_c' (rc, out, err, i=Path or -)"
			continue
			;;
		esac
		[ "$_f" = i ] && [ -n "${_dc_i_done:-}" ] && continue
		[ "$_f" = i ] && _dc_i_done=1
		dc_norm <"$3/$1.$_f" >"$3/$1.$_f.n"
		dc_norm <"$4/$1.$_f" >"$4/$1.$_f.n"
		if ! cmp -s "$3/$1.$_f.n" "$4/$1.$_f.n"; then
			echo "$_f differs (< docker, > minirun):"
			diff "$3/$1.$_f.n" "$4/$1.$_f.n" | grep '^[<>]' | sed 's/^/  /'
		fi
	done
	_dc_i_done=
}
