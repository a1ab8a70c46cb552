/*
 * tests/fuzz/fuzz_overlay_peers.c - fuzz what the overlay driver reads from other hosts
 * (minirun/network/overlay_peers.c) and the peers= option (overlay.c): a file another host
 * wrote into the shared peers directory is input from outside, and its names end up in
 * every container's /etc/hosts.
 *
 * The input: a first line, the value of `--opt peers=` (overlay_parse_peers), then the text
 * of one other host's file, written as DIR/172.30.0.9.json in a directory of this process
 * (/tmp/fuzz-overlay-PID, there only while it is read), which a network record with
 * peers-dir=DIR and local=172.30.0.1 reads: its hosts lines (overlay_hosts_lines, through
 * network_hosts_format) and inspect's Peers (overlay_inspect).
 *
 * Oracles:
 *  - peers: an accepted list is of distinct host addresses in their canonical form, the
 *    same set as the value's comma-separated words read here with inet_pton, and written
 *    back joined by commas it parses to the same list; a refusal has a message;
 *  - hosts lines: each is an IPv4 address, the one the file gives the container, and its
 *    words are each whole: the container's name, one of its aliases, or its short ID (never
 *    a word cut short); the hosts text holds nothing but a hostname's characters, the
 *    addresses, spaces, tabs and newlines;
 *  - Peers: this host first, then every peer with a valid IPv4 and a name that is a
 *    hostname's characters or that IP.
 *
 * Seeds: tests/fuzz/seeds/overlay_peers/. See: minirun/network/overlay.h; README.md here.
 */
#include "minirun/network/network.h"
#include "minirun/network/overlay.h"
#include "minirun/network/overlay_int.h"
#include "tests/fuzz/fuzz.h"

#include <arpa/inet.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64], file[128];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	snprintf(dir, sizeof(dir), "/tmp/fuzz-overlay-%d", (int)getpid());
	snprintf(file, sizeof(file), "%s/172.30.0.9.json", dir);
	return 0;
}

static const char hosts_chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				  "0123456789_.-: \t\n";

static void peers(const char *text)
{
	struct choices c, again;
	struct mr_err err = {0};
	memset(&c, 0, sizeof(c));
	if (overlay_parse_peers(text, &c, &err) < 0) {
		if (!err.msg[0])
			fuzz_oracle("peers '%s' refused without a message", text);
		fuzz_refused(err.msg);
		return;
	}
	char joined[MAX_HOSTS * INET_ADDRSTRLEN] = "", word[4096];
	size_t off = 0;
	if (c.npeers < 1 || c.npeers > MAX_HOSTS)
		fuzz_oracle("%zu peers", c.npeers);
	for (size_t i = 0; i < c.npeers; i++) {
		struct in_addr a;
		char norm[INET_ADDRSTRLEN];
		if (inet_pton(AF_INET, c.peers[i], &a) != 1 || a.s_addr == 0 ||
		    strcmp(inet_ntop(AF_INET, &a, norm, sizeof(norm)), c.peers[i]))
			fuzz_oracle("peer '%s' is no canonical address", c.peers[i]);
		for (size_t k = 0; k < i; k++)
			if (!strcmp(c.peers[k], c.peers[i]))
				fuzz_oracle("peer %s twice", c.peers[i]);
		off += (size_t)snprintf(joined + off, sizeof(joined) - off, "%s%s", i ? "," : "",
					c.peers[i]);
	}
	/* the value's own words: each one a peer, each peer one of them */
	for (const char *p = text; *p; p += *p == ',') {
		size_t n = strcspn(p, ",");
		struct in_addr a;
		char norm[INET_ADDRSTRLEN];
		snprintf(word, sizeof(word), "%.*s", (int)n, p);
		p += n;
		if (!n)
			continue;
		if (inet_pton(AF_INET, word, &a) != 1)
			fuzz_oracle("peers '%s' accepted with the word '%s'", text, word);
		inet_ntop(AF_INET, &a, norm, sizeof(norm));
		size_t k = 0;
		while (k < c.npeers && strcmp(c.peers[k], norm))
			k++;
		if (k == c.npeers)
			fuzz_oracle("peers '%s': '%s' is not in the list", text, word);
	}
	memset(&again, 0, sizeof(again));
	if (overlay_parse_peers(joined, &again, &err) < 0 || again.npeers != c.npeers ||
	    memcmp(again.peers, c.peers, sizeof(c.peers)))
		fuzz_oracle("peers '%s' written back as '%s' read differently", text, joined);
}

/* is WORD (LEN bytes) a whole name EP gives (Name, an alias) or the short ID of ID? */
static bool a_name_of(const char *id, json_t *ep, const char *word, size_t len)
{
	size_t i;
	json_t *a;
	const char *name = json_string_value(json_object_get(ep, "Name"));
	if (name && strlen(name) == len && !strncmp(name, word, len))
		return true;
	json_array_foreach(json_object_get(ep, "Aliases"), i, a)
	{
		const char *s = json_string_value(a);
		if (s && strlen(s) == len && !strncmp(s, word, len))
			return true;
	}
	return len == (strlen(id) < 12 ? strlen(id) : 12) && !strncmp(id, word, len);
}

static void hosts_lines(json_t *f, struct network_hosts_line *lines, size_t n)
{
	if (n > 64)
		fuzz_oracle("%zu lines of at most 64", n);
	json_t *eps = json_object_get(f, "Containers");
	for (size_t i = 0; i < n; i++) {
		struct in_addr a;
		if (inet_pton(AF_INET, lines[i].addr, &a) != 1)
			fuzz_oracle("line %zu: address '%s'", i, lines[i].addr);
		/* the container it names: one whose short ID ends the line, at that address */
		const char *last = strrchr(lines[i].names, ' '), *k;
		last = last ? last + 1 : lines[i].names;
		json_t *e;
		bool found = false;
		json_object_foreach(eps, k, e)
		{
			char mine[16];
			if (found || !a_name_of(k, NULL, last, strlen(last)) ||
			    !overlay_endpoint_ip(e, mine) || strcmp(mine, lines[i].addr))
				continue;
			found = true;
			for (const char *w = lines[i].names; *w && found; w += *w == ' ') {
				size_t len = strcspn(w, " ");
				found = len && a_name_of(k, e, w, len);
				w += len;
			}
		}
		if (!found)
			fuzz_oracle(
				"line %zu '%s %s': not the whole names of a container of the file",
				i, lines[i].addr, lines[i].names);
	}
	char *text = network_hosts_format(lines, n);
	if (!text)
		abort();
	if (text[strspn(text, hosts_chars)] != '\0')
		fuzz_oracle("the hosts text holds a character no hosts line has");
	free(text);
}

static void inspect(json_t *rec)
{
	json_t *p = json_object_get(rec, "Peers"), *e;
	size_t i;
	if (json_array_size(p) < 1 ||
	    strcmp(json_string_value(json_object_get(json_array_get(p, 0), "IP")) ?: "",
		   "172.30.0.1"))
		fuzz_oracle("Peers does not start with this host");
	json_array_foreach(p, i, e)
	{
		const char *name = json_string_value(json_object_get(e, "Name"));
		const char *ip = json_string_value(json_object_get(e, "IP"));
		struct in_addr a;
		if (i && (!ip || inet_pton(AF_INET, ip, &a) != 1 || !name ||
			  (!overlay_valid_name(name) && strcmp(name, ip))))
			fuzz_oracle("peer %zu: Name '%s' IP '%s'", i, name ?: "", ip ?: "");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_str(data, size), *body = strchr(text, '\n');
	if (body)
		*body++ = '\0';
	peers(text);
	json_t *f = json_loads(body ? body : "", 0, NULL);
	json_t *rec = json_pack("{s:s, s:s, s:{s:s, s:s}}", "Name", "ov", "Driver", "overlay",
				"Options", OPT_DIR, dir, OPT_LOCAL, "172.30.0.1");
	struct choices c = {0};
	if (overlay_parse_peers(text, &c, NULL) == 0)
		json_object_set_new(json_object_get(rec, "Options"), OPT_PEERS, json_string(text));
	/* the directory lives only while it is read: a broken oracle leaves nothing behind */
	FILE *fp = mkdir(dir, 0700) == 0 ? fopen(file, "w") : NULL;
	if (!fp || fputs(body ? body : "", fp) < 0 || fclose(fp) != 0)
		abort();
	struct network_hosts_line lines[64];
	char addrs[64][16], names[64][512];
	size_t n = 0;
	overlay_hosts_lines(rec, lines, addrs, names, &n, 64);
	overlay_inspect(rec);
	unlink(file);
	rmdir(dir);
	hosts_lines(f, lines, n);
	inspect(rec);
	json_decref(rec);
	json_decref(f);
	free(text);
	return 0;
}
