/*
 * sha256.h - SHA-256 (FIPS 180-4), for fingerprints of untrusted input
 * that must not collide on purpose (benchmark definitions).
 */
#ifndef PG_SHA256_H
#define PG_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct pg_sha256 {
	uint32_t h[8];
	uint64_t len;          /* bytes hashed so far */
	unsigned char block[64];
	size_t used;           /* bytes waiting in `block` */
} pg_sha256;

void pg_sha256_init(pg_sha256 *c);
void pg_sha256_update(pg_sha256 *c, const void *data, size_t n);
void pg_sha256_final(pg_sha256 *c, unsigned char digest[32]);

#endif
