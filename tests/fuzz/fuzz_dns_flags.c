/*
 * tests/fuzz/fuzz_dns_flags.c - fuzz run's --dns, --dns-search, --dns-option and --add-host
 * (minirun/containers/dns_flags.c): the checks, the record's HostConfig, and the
 * resolv.conf and hosts lines a start writes from it.
 *
 * The input is lines, each one flag's value after a letter saying which: 'd' --dns, 's'
 * --dns-search, 'o' --dns-option, 'h' --add-host (a line starting otherwise is skipped),
 * given to the flag's setter in turn, as `run` does. "\n" (a backslash and an n) in a line
 * stands for a line break in the value.
 *
 * Oracles, against a second reading here:
 *  - --dns is accepted exactly when inet_pton reads an IPv4 or IPv6 address, kept in its
 *    canonical form, which is accepted again as itself; --add-host exactly when it is
 *    NAME:ADDRESS (or NAME:host-gateway) with a name; --dns-search, when accepted, is "."
 *    or a domain (letters, digits, inner hyphens, dots between labels, one letter at
 *    least); every refusal has a message;
 *  - the record, written as JSON and read back, holds each accepted value, in order;
 *  - resolv.conf, built from it with a fixed host file (without and with a network's
 *    responder): its nameserver lines are the --dns addresses (else the host's), or the
 *    responder alone; a line for each kind and no other, so that no value starts a line of
 *    its own; the responder's upstream lines are the --dns addresses;
 *  - the hosts lines: one per --add-host, ADDRESS<TAB>NAME, host-gateway replaced.
 *
 * Seeds: tests/fuzz/seeds/dns_flags/. See: minirun/containers/dns_flags.h; README.md here.
 */
#include "minirun/containers/containers.h"
#include "minirun/containers/dns_flags.h"
#include "minirun/containers/opts.h"
#include "tests/fuzz/fuzz.h"

#include <arpa/inet.h>
#include <ctype.h>

static const char host_file[] = "nameserver 192.0.2.53\nsearch host.example\noptions ndots:2\n";

static bool an_ip(const char *v)
{
	unsigned char buf[16];
	return inet_pton(AF_INET, v, buf) == 1 || inet_pton(AF_INET6, v, buf) == 1;
}

static bool a_domain(const char *v)
{
	bool letter = false;
	size_t label = 0, len = strlen(v);
	if (!strcmp(v, "."))
		return true;
	if (!len || len >= 255)
		return false;
	for (size_t i = 0; i <= len; i++) {
		if (v[i] == '.' || !v[i]) {
			if (!label || v[i - 1] == '-')
				return false;
			label = 0;
		} else if (isalnum((unsigned char)v[i]) || (v[i] == '-' && label)) {
			letter |= isalpha((unsigned char)v[i]) != 0;
			label++;
		} else
			return false;
	}
	return letter;
}

/* the lines of TEXT starting with KEY and a space, their rest joined by newlines */
static size_t lines_of(const char *text, const char *key, char *out, size_t size)
{
	size_t n = 0, off = 0, k = strlen(key);
	out[0] = '\0';
	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		size_t len = strcspn(l, "\n");
		if (len > k && !strncmp(l, key, k) && l[k] == ' ') {
			off += (size_t)snprintf(out + off, off < size ? size - off : 0, "%s%.*s",
						n ? "\n" : "", (int)(len - k - 1), l + k + 1);
			n++;
		}
	}
	return n;
}

static size_t count_lines(const char *text)
{
	size_t n = 0;
	for (const char *p = text; *p; p++)
		n += *p == '\n';
	return n;
}

/* what the resolv.conf built from D (with the responder EMBEDDED, or none) must be: the
 * nameservers WANT_NS, one search line unless DOT_ONLY (--dns-search . alone), one options
 * line; the responder's upstream lines the --dns addresses DNS (NDNS of them) */
static void resolv(const struct container_dns *d, const char *embedded, const char *want_ns,
		   const char *dns, size_t ndns, bool dot_only)
{
	char *up = NULL, got[8192];
	char *text = container_resolv_build(host_file, d, embedded, &up);
	if (!text)
		abort();
	size_t ns = lines_of(text, "nameserver", got, sizeof(got));
	if (strcmp(got, want_ns))
		fuzz_oracle("resolv.conf's nameservers '%s', not '%s'", got, want_ns);
	size_t want = ns + (dot_only ? 0 : 1) + 1;
	if (count_lines(text) != want)
		fuzz_oracle("resolv.conf of %zu lines, not %zu: '%s'", count_lines(text), want,
			    text);
	if ((embedded && ndns) != (up != NULL))
		fuzz_oracle("upstream lines %s for %zu --dns", up ? "written" : "missing", ndns);
	if (up && (lines_of(up, "nameserver", got, sizeof(got)) != ndns || strcmp(got, dns)))
		fuzz_oracle("upstream lines '%s', not '%s'", up, dns);
	free(up);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_str(data, size), *line = text, *next;
	struct container_opts o;
	struct mr_err err = {0};
	char want_ns[8192] = "", want_hosts[8192] = "";
	size_t nns = 0, nsearch = 0, nhosts = 0, offn = 0, offh = 0, nopts = 0;
	memset(&o, 0, sizeof(o));
	for (; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		/* "\\n" in a line stands for a line break in the value */
		for (char *r = line, *w = line;; r++, w++) {
			if (r[0] == '\\' && (r[1] == 'n' || r[1] == 'r'))
				*w = *++r == 'n' ? '\n' : '\r';
			else if (!(*w = *r))
				break;
		}
		const char *names = "dsoh", *which = *line ? strchr(names, *line) : NULL;
		if (!which)
			continue;
		static const char *const flag[] = {"dns", "dns-search", "dns-option", "add-host"};
		struct opt f = {.name = flag[which - names]};
		const char *v = line + 1, *colon = strchr(v, ':');
		err.msg[0] = '\0';
		int r = opts_set_dns(&o, v, &f, &err);
		if (r < 0 && !err.msg[0])
			fuzz_oracle("--%s '%s' refused without a message", f.name, v);
		bool want = *line == 'd'   ? an_ip(v)
			    : *line == 'h' ? colon && colon > v &&
						     (!strcmp(colon + 1, "host-gateway") ||
						      an_ip(colon + 1))
					   : r == 0;
		/* a value the record can't hold, or that would start a line of its own: refused
		 * (opts_set_dns says why) */
		json_t *utf8 = json_string(v);
		if (!utf8 || strpbrk(v, "\r\n"))
			want = false;
		json_decref(utf8);
		if ((r == 0) != want)
			fuzz_oracle("--%s '%s' %s", f.name, v, r == 0 ? "accepted" : "refused");
		if (r < 0)
			continue;
		if (*line == 's' && !a_domain(v))
			fuzz_oracle("--dns-search '%s' accepted", v);
		if (*line == 'd') {
			const char *kept = o.dns[nns++];
			struct container_opts again;
			memset(&again, 0, sizeof(again));
			if (opts_set_dns(&again, kept, &f, &err) < 0 || strcmp(again.dns[0], kept))
				fuzz_oracle("--dns '%s' kept as '%s', which is not itself", v,
					    kept);
			opts_strv_free(again.dns);
			offn += (size_t)snprintf(want_ns + offn, sizeof(want_ns) - offn, "%s%s",
						 offn ? "\n" : "", kept);
		}
		nsearch += *line == 's';
		nopts += *line == 'o';
		if (*line == 'h') {
			nhosts++;
			const char *ip =
				strcmp(colon + 1, "host-gateway") ? colon + 1 : "10.88.0.1";
			offh += (size_t)snprintf(want_hosts + offh, sizeof(want_hosts) - offh,
						 "%s\t%.*s\n", ip, (int)(colon - v), v);
		}
	}
	/* the record, through its JSON on disk */
	struct container_record r = {0};
	json_t *rec = json_pack("{s:{s:n, s:n, s:n, s:n}}", "HostConfig", "Dns", "DnsOptions",
				"DnsSearch", "ExtraHosts");
	if (container_dnsflags_record(&r, &o) < 0)
		fuzz_oracle("the record's lists could not be made");
	container_record_to_json(&r, rec);
	char *dump = json_dumps(rec, 0);
	json_t *back = dump ? json_loads(dump, 0, NULL) : NULL,
	       *hc = json_object_get(back, "HostConfig");
	if (!back || container_record_from_json(back, &r, NULL) < 0)
		fuzz_oracle("the record's lists are no JSON");
	if (json_array_size(json_object_get(hc, "Dns")) != nns ||
	    json_array_size(json_object_get(hc, "DnsSearch")) != nsearch ||
	    json_array_size(json_object_get(hc, "DnsOptions")) != nopts ||
	    json_array_size(json_object_get(hc, "ExtraHosts")) != nhosts)
		fuzz_oracle("the record does not hold every accepted value");
	const struct container_dns *d = &r.host.dns;
	bool dot_only = nsearch == 1 && !strcmp(o.dns_search[0], ".");
	resolv(d, NULL, nns ? want_ns : "192.0.2.53", want_ns, nns, dot_only);
	resolv(d, "10.89.0.1", "10.89.0.1", want_ns, nns, dot_only);
	char *hosts = container_extra_hosts(d, "10.88.0.1");
	if (!hosts || strcmp(hosts, want_hosts))
		fuzz_oracle("hosts lines '%s', not '%s'", hosts ? hosts : "", want_hosts);
	free(hosts);
	container_record_free(&r);
	json_decref(back);
	json_decref(rec);
	free(dump);
	opts_strv_free(o.dns);
	opts_strv_free(o.dns_search);
	opts_strv_free(o.dns_options);
	opts_strv_free(o.extra_hosts);
	free(text);
	return 0;
}
