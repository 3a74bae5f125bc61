/*
 * bench_sort.c - the demo's benchmark: sorts 200,000 pseudo-random ints
 * six times.  ci/demo.sh injects a regression at the marked line.
 */
#include <stdio.h>
#include <stdlib.h>

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static void sort_ints(int *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_int);
}

int main(void)
{
	const size_t n = 200000;
	int *v = malloc(n * sizeof(*v));
	unsigned long long check = 0;
	if (!v)
		return 1;
	for (int round = 0; round < 6; round++) {
		unsigned x = 12345u + (unsigned)round;
		for (size_t i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			v[i] = (int)(x >> 1);
		}
		sort_ints(v, n);
		/* REGRESSION */
		check += (unsigned long long)v[n / 2];
	}
	printf("%llu\n", check);
	free(v);
	return 0;
}
