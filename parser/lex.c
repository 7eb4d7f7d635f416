/*
 * lex.c - physical and logical lines, and httpd's word splitter.
 * Lines are joined exactly as ap_cfg_getline does: a backslash that is
 * the last byte before LF (or CR LF) joins the next physical line, a NUL
 * byte ends the line's content, and the result is trimmed.  Words are
 * split as ap_getword_conf does.  Nothing here allocates node memory.
 */
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "hconf_int.h"

/* apr_isspace in the C locale, as a table for the hot loops */
static const unsigned char space[256] = {
	['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1,
};

/* where a bare word's fast copy stops: blanks, NUL and backslash */
static const unsigned char stop[256] = {
	['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1,
	['\0'] = 1, ['\\'] = 1,
};

#define LINE_MAX_BYTES (16u * 1024u * 1024u) /* VARBUF_MAX_LEN */

int
lex_isspace(int c)
{
	/* apr_isspace in the C locale */
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
	    c == '\r';
}

static void
text_reserve(struct lline *ll, size_t n)
{
	if (n + 1 > ll->cap) {
		size_t cap = ll->cap ? ll->cap : 256;

		while (cap < n + 1) {
			cap *= 2;
		}
		ll->hbuf = hconf_xrealloc(ll->hbuf, cap);
		ll->cap = cap;
	}
	ll->text = ll->hbuf;
}

static inline void
seg_add(struct lline *ll, uint32_t tpos, uint32_t soff)
{
	if (ll->nseg == ll->segcap) {
		ll->segcap = ll->segcap ? ll->segcap * 2 : 8;
		ll->seg = hconf_xrealloc(ll->seg, ll->segcap * sizeof(*ll->seg));
	}
	ll->seg[ll->nseg].tpos = tpos;
	ll->seg[ll->nseg].soff = soff;
	ll->nseg++;
}

/*
 * The common case: one physical line, no NUL, no continuation, used in
 * place.  Returns 0, having changed nothing, when the line is not one.
 */
static inline int
line_plain(struct lexer *lx, struct lline *ll)
{
	const char *buf = lx->buf;
	uint32_t off = lx->off, end, q;
	const char *p = memchr(buf + off, '\n', lx->len - off);

	end = p ? (uint32_t)(p - buf) + 1 : lx->len;
	/* lx->nul: most files hold no NUL byte at all, so most lines need
	 * no search for one */
	if (end - off > LINE_MAX_BYTES || (lx->nul < end &&
	    memchr(buf + off, '\0', end - off) != NULL)) {
		return 0;
	}
	q = end;
	if (q > off && buf[q - 1] == '\n') {
		q--;
		if (q > off && buf[q - 1] == '\r') {
			q--;
		}
		if (q > off && buf[q - 1] == '\\') {
			return 0;
		}
	}
	lx->line++;
	lex_line_start(lx, off);
	seg_add(ll, 0, off);
	ll->text = lx->work + off;
	ll->len = end - off;
	ll->inplace = 1;
	lx->off = end;
	return 1;
}

void
lex_line_grow(struct lexer *lx)
{
	lx->lcap = lx->lcap ? lx->lcap * 2 : 1024;
	lx->lines = hconf_xrealloc(lx->lines, lx->lcap * sizeof(*lx->lines));
}

/*
 * Physical lines joined into the heap buffer, as ap_cfg_getline joins
 * them: up to a NUL byte, past a '\' before the line break.
 */
static void
line_join(struct lexer *lx, struct lline *ll)
{
	const char *buf = lx->buf, *p;
	uint32_t off = lx->off, end;

	for (;;) {
		const char *z;
		uint32_t take;
		size_t pos;

		p = memchr(buf + off, '\n', lx->len - off);
		end = p ? (uint32_t)(p - buf) + 1 : lx->len;
		z = memchr(buf + off, '\0', end - off);
		take = z ? (uint32_t)(z - (buf + off)) : end - off;
		lx->line++;
		lex_line_start(lx, off);
		if (z != NULL) {
			ll->nul = 1;
		}
		seg_add(ll, (uint32_t)ll->len, off);
		if (ll->len + take > LINE_MAX_BYTES) {
			/* Keep scanning so every byte stays in the node, but
			 * stop growing the text: httpd refuses the line. */
			ll->too_long = 1;
			take = ll->len < LINE_MAX_BYTES ?
			    (uint32_t)(LINE_MAX_BYTES - ll->len) : 0;
		}
		text_reserve(ll, ll->len + take);
		memcpy(ll->text + ll->len, buf + off, take);
		ll->len += take;
		off = end;
		/* Continuation is decided on the accumulated text, as httpd
		 * does (it looks back past the start of the physical line). */
		pos = ll->len;
		if (z == NULL && pos > 0 && ll->text[pos - 1] == '\n') {
			pos--;
			if (pos > 0 && ll->text[pos - 1] == '\r') {
				pos--;
			}
			if (pos > 0 && ll->text[pos - 1] == '\\') {
				ll->len = pos - 1;
				/* pieces that now start past the end are gone */
				while (ll->nseg > 1 &&
				    ll->seg[ll->nseg - 1].tpos > ll->len) {
					ll->nseg--;
				}
				if (off < lx->len) {
					ll->continued = 1;
					continue;
				}
				/* httpd counts the read that meets the end */
				lx->line++;
			}
		}
		break;
	}
	lx->off = off;
	text_reserve(ll, ll->len);
	ll->text[ll->len] = '\0';
}

/* cfg_trim_line: text[lead .. lead + tlen) without the outer blanks */
static inline void
line_trim(struct lline *ll)
{
	size_t a = 0, b = ll->len;

	while (a < b && space[(unsigned char)ll->text[a]]) {
		a++;
	}
	while (b > a && space[(unsigned char)ll->text[b - 1]]) {
		b--;
	}
	/* "\\ \n" looks like a continuation and is not one */
	if (b > a && ll->text[b - 1] == '\\' && b < ll->len &&
	    ll->text[b] != '\n' && ll->text[b] != '\r' && !ll->nul) {
		ll->cont_ws = 1;
	}
	if (b < ll->len || !ll->inplace) {
		ll->text[b] = '\0';
	} else if (a == b) {
		/* an all-blank line in place: text[b] is the next
		 * line's first byte, so point at an empty string */
		static char empty[1];

		ll->text = empty;
		a = b = 0;
	}
	/* else: the file's last line, followed by the final NUL */
	ll->lead = (uint32_t)a;
	ll->tlen = (uint32_t)(b - a);
}

#ifdef __SSE2__
/* apr_isspace bytes of a block of 16 as a mask: \t..\r and ' ' */
static inline unsigned
space_mask(__m128i v)
{
	const __m128i nine = _mm_set1_epi8(9), four = _mm_set1_epi8(4);
	const __m128i sp = _mm_set1_epi8(' ');
	__m128i t = _mm_sub_epi8(v, nine);

	return (unsigned)_mm_movemask_epi8(_mm_or_si128(
	    _mm_cmpeq_epi8(_mm_min_epu8(t, four), t), _mm_cmpeq_epi8(v, sp)));
}

/*
 * The common line, found in one pass over the scratch copy (which has
 * LEX_PAD zero bytes after the end, so 16-byte loads never leave it):
 * one physical line, no NUL, no continuation, not over the limit.
 * ll gets it used in place and trimmed, as line_plain() and
 * line_trim() would leave it.  Returns 0, having changed nothing, for
 * any other line.
 */
static inline int
line_fast(struct lexer *lx, struct lline *ll)
{
	const __m128i nl = _mm_set1_epi8('\n'), dl = _mm_set1_epi8('$');
	const char *w = lx->work, *p = w + lx->off;
	uint32_t off = lx->off, end, a, b, i;
	unsigned m, d, dm = 0;
	__m128i v;
	char *text;

	for (;;) {
		v = _mm_loadu_si128((const __m128i *)(const void *)p);
		m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl));
		d = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, dl));
		if (m != 0) {
			i = (unsigned)__builtin_ctz(m);
			dm |= d & ((2u << i) - 1u);
			end = (uint32_t)(p - w) + i + 1;
			break;
		}
		dm |= d;
		p += 16;
		if (p >= w + lx->len) {
			return 0;
		}
	}
	/* the line's '\n' is the last byte; none past the end (zeros) */
	if (end > lx->len || end - off > LINE_MAX_BYTES || lx->nul < end) {
		return 0;
	}
	b = end - 1 - off;
	if (b > 0 && w[off + b - 1] == '\r') {
		b--;
	}
	if (b > 0 && w[off + b - 1] == '\\') {
		return 0;
	}
	text = lx->work + off;
	/* the blanks before the content: the first block tells most */
	v = _mm_loadu_si128((const __m128i *)(const void *)text);
	m = ~space_mask(v) & 0xffffu;
	if (m == 0) {
		return 0;
	}
	a = (unsigned)__builtin_ctz(m);
	/* b is past the content, the line break already left out */
	if (a > b) {
		a = b;
	}
	while (b > a && space[(unsigned char)text[b - 1]]) {
		b--;
	}
	lx->line++;
	lex_line_start(lx, off);
	if (ll->segcap == 0) {
		seg_add(ll, 0, off);
	}
	ll->seg[0].tpos = 0;
	ll->seg[0].soff = off;
	ll->nseg = 1;
	ll->text = text;
	ll->len = end - off;
	ll->inplace = 1;
	ll->continued = 0;
	ll->too_long = 0;
	ll->nul = 0;
	ll->cont_ws = 0;
	ll->dollar = dm != 0;
	lx->off = end;
	/* line_trim(), for a line that ends in '\n' */
	if (b > a && text[b - 1] == '\\' && text[b] != '\n' &&
	    text[b] != '\r') {
		ll->cont_ws = 1;
	}
	if (a < b) {
		text[b] = '\0';
	} else {
		/* all blank: text[b] may be the next line's first byte */
		static char empty[1];

		ll->text = empty;
		a = b = 0;
	}
	ll->lead = a;
	ll->tlen = b - a;
	return 1;
}
#endif

static int lex_slow(struct lexer *, struct lline *);

/*
 * Read the next logical line.  Returns 0 at end of input, 1 otherwise.
 * A plain line is used in place: lx->buf is the document's scratch copy
 * of the file, which the parser may write into (the printer uses the
 * pristine one).  Continued lines and lines with NUL bytes are joined
 * into a heap buffer; ll->seg records where each piece came from, so
 * lline_src() can turn a text index back into a source offset.
 */
int
lex_next(struct lexer *lx, struct lline *ll)
{
	if (lx->off >= lx->len) {
		return 0;
	}
	ll->start = lx->off;
	ll->first_line = lx->line + 1;
#ifdef __SSE2__
	if (line_fast(lx, ll)) {
		ll->end = lx->off;
		ll->last_line = lx->line;
		return 1;
	}
#endif
	return lex_slow(lx, ll);
}

/* Any other line: lex_next() without its fast path. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int
lex_slow(struct lexer *lx, struct lline *ll)
{
	ll->dollar = 1;
	ll->inplace = 0;
	ll->len = 0;
	ll->nseg = 0;
	ll->continued = 0;
	ll->too_long = 0;
	ll->nul = 0;
	ll->cont_ws = 0;
	ll->first_line = lx->line + 1;
	if (!line_plain(lx, ll)) {
		line_join(lx, ll);
	}
	ll->end = lx->off;
	ll->last_line = lx->line;
	line_trim(ll);
	return 1;
}

/* Source offset of byte i of the trimmed text. */
uint32_t
lline_src_slow(const struct lline *ll, uint32_t i)
{
	uint32_t t = i + ll->lead, lo = 0, hi = ll->nseg;

	if (hi == 1) {
		return ll->seg[0].soff + t;
	}

	while (hi - lo > 1) {
		uint32_t mid = (lo + hi) / 2;

		if (ll->seg[mid].tpos <= t) {
			lo = mid;
		} else {
			hi = mid;
		}
	}
	return ll->seg[lo].soff + (t - ll->seg[lo].tpos);
}

void
lline_free(struct lline *ll)
{
	free(ll->hbuf);
	free(ll->seg);
	memset(ll, 0, sizeof(*ll));
}

/*
 * ap_getword_conf: skip blanks, then a quoted word (only \\ and \quote
 * are escapes inside) or a bare word (only \\ is an escape).  *p is left
 * at the next word.  Returns 0 when no word is left.
 */
/*
 * The blanks before a word: how many there are.  w gets the word's
 * start, and when no word is left, its (empty) end and a NULL value.
 */
static inline size_t
word_begin(const unsigned char *s, struct word *w)
{
	const unsigned char *b = s;

	while (space[*s]) {
		s++;
	}
	w->start = (const char *)s;
	w->quote = 0;
	if (*s == '\0') {
		w->end = (const char *)s;
		w->value = NULL;
		w->len = 0;
	}
	return (size_t)(s - b);
}

int
lex_word(struct arena *a, const char **pp, struct word *w)
{
	const unsigned char *s = (const unsigned char *)*pp, *e;
	char q, *out;
	size_t i, n;

	s += word_begin(s, w);
	if (*s == '\0') {
		*pp = (const char *)s;
		return 0;
	}
	q = (char)*s;
	if (q == '"' || q == '\'') {
		w->quote = q;
		e = s + 1;
		while (*e && *e != (unsigned char)q) {
			if (*e == '\\' && e[1] &&
			    (e[1] == (unsigned char)q || e[1] == '\\')) {
				e += 2;
			} else {
				e++;
			}
		}
		s++;
		n = (size_t)(e - s);
		if (*e == (unsigned char)q) {
			e++;
		}
	} else {
		int bs = 0;

		q = 0;
		e = s;
		while (!stop[*e]) {
			e++;
		}
		if (*e == '\\') {
			bs = 1;
			while (*e && !space[*e]) {
				e++;
			}
		}
		n = (size_t)(e - s);
		if (!bs) {
			out = arena_alloc(a, n + 1);
			memcpy(out, s, n);
			out[n] = '\0';
			w->value = out;
			w->len = n;
			w->end = (const char *)e;
			while (space[*e]) {
				e++;
			}
			*pp = (const char *)e;
			return 1;
		}
	}
	/* substring_conf; most words hold no backslash at all */
	out = arena_alloc(a, n + 1);
	w->value = out;
	if (memchr(s, '\\', n) == NULL) {
		memcpy(out, s, n);
		out += n;
	} else {
		for (i = 0; i < n; i++) {
			if (s[i] == '\\' && (s[i + 1] == '\\' ||
			    (q && s[i + 1] == (unsigned char)q))) {
				*out++ = (char)s[++i];
			} else {
				*out++ = (char)s[i];
			}
		}
	}
	*out = '\0';
	w->len = (size_t)(out - w->value);
	w->end = (const char *)e;
	while (space[*e]) {
		e++;
	}
	*pp = (const char *)e;
	return 1;
}

/*
 * ap_getword_conf for a line that lives in the scratch copy: the value
 * is made in place (a NUL after it, escapes folded), so no memory is
 * allocated.  Only for text nobody reads again as a whole.
 */
/*
 * The first blank, NUL or backslash at or after e.  Only for text in the
 * scratch copy, which has LEX_PAD readable bytes after its end: the
 * SSE2 path looks at 16 bytes at a time.
 */
static inline unsigned char *
scan_stop(unsigned char *e)
{
#ifdef __SSE2__
	/* candidates: bytes up to ' ' (the blanks, NUL and the other
	 * control bytes, which are rare in a word) and backslashes */
	const __m128i sp = _mm_set1_epi8(' '), bs = _mm_set1_epi8('\\');

	for (;;) {
		__m128i v = _mm_loadu_si128((const __m128i *)(void *)e);
		int mask = _mm_movemask_epi8(_mm_or_si128(
		    _mm_cmpeq_epi8(_mm_min_epu8(v, sp), v),
		    _mm_cmpeq_epi8(v, bs)));

		while (mask != 0) {
			unsigned i = (unsigned)__builtin_ctz((unsigned)mask);

			if (stop[e[i]]) {
				return e + i;
			}
			mask &= mask - 1;
		}
		e += 16;
	}
#else
	while (!stop[*e]) {
		e++;
	}
	return e;
#endif
}

#ifdef __SSE2__
/* The first q, backslash or NUL at or after e (scratch copy only). */
static inline unsigned char *
scan_quote(unsigned char *e, unsigned char q)
{
	const __m128i qq = _mm_set1_epi8((char)q), bs = _mm_set1_epi8('\\');
	const __m128i zero = _mm_setzero_si128();

	for (;;) {
		__m128i v = _mm_loadu_si128((const __m128i *)(void *)e);
		int mask = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, qq),
		    _mm_or_si128(_mm_cmpeq_epi8(v, bs),
		    _mm_cmpeq_epi8(v, zero))));

		if (mask != 0) {
			return e + __builtin_ctz((unsigned)mask);
		}
		e += 16;
	}
}
#endif

#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline int
word_inplace(char **pp, struct word *w)
{
	unsigned char *s = (unsigned char *)*pp, *e, *end, *o;
	unsigned char q;

	s += word_begin(s, w);
	if (*s == '\0') {
		*pp = (char *)s;
		return 0;
	}
	q = *s;
	if (q == '"' || q == '\'') {
		w->quote = (char)q;
		o = e = s + 1;
		w->value = (char *)o;
#ifdef __SSE2__
		/* up to the first backslash the value is the text itself */
		o = e = scan_quote(e, q);
#endif
		while (*e && *e != q) {
			if (*e == '\\' && (e[1] == q || e[1] == '\\')) {
				e++;
			}
			*o++ = *e++;
		}
		end = e;
		if (*e == q) {
			e++;
		}
	} else {
		w->value = (char *)s;
		e = scan_stop(s);
		o = e;
		while (*e && !space[*e]) {
			if (*e == '\\' && e[1] == '\\') {
				e++;
			}
			*o++ = *e++;
		}
		end = e;
	}
	w->end = (const char *)e;
	while (space[*e]) {
		e++;
	}
	/* after the scan: the NUL may land on the blank that ended it */
	*o = '\0';
	w->len = (size_t)((char *)o - w->value);
	(void)end;
	*pp = (char *)e;
	return 1;
}

int
lex_word_inplace(char **pp, struct word *w)
{
	return word_inplace(pp, w);
}

/*
 * Up to max words of in-place text, as lex_word_inplace() cuts them,
 * into out[]: the value, the quote and the span (base is the source
 * offset of tt, the start of the trimmed line, which is one physical
 * line).  *pp is left at the next word.  Returns how many it wrote.
 */
uint32_t
lex_args_inplace(char **pp, const char *tt, uint32_t base,
    struct hconf_arg *out, uint32_t max)
{
	struct word w;
	uint32_t n = 0;

	while (n < max && word_inplace(pp, &w)) {
		out[n].value = w.value;
		out[n].quote = (uint8_t)w.quote;
		out[n].raw.off = base + (uint32_t)(w.start - tt);
		out[n].raw.len = w.end > w.start ?
		    (uint32_t)(w.end - w.start) : 0;
		n++;
	}
	return n;
}
