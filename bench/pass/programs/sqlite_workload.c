/* sqlite_workload.c - SQLite as an application uses it: an in-memory database, rows inserted in
 * transactions through prepared statements, an index, joins, grouped aggregates, updates, deletes
 * and a LIKE scan, ROUNDS times over (a fresh database each round).
 *
 *   sqlite_workload ROUNDS
 *
 * Prints a digest (FNV-1a) of every result row, so instrumented builds of SQLite can be checked
 * against the plain one. The data comes from its own linear congruential generator, so the output
 * depends on ROUNDS only. Built against SQLite's amalgamation from Debian's source package, with
 * the same flags as the library. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "sqlite3.h"

enum { CUSTOMERS = 2000, ORDERS = 20000, CITIES = 50 };

static sqlite3 *db;
static uint64_t digest = 0xcbf29ce484222325ull;
static uint64_t lcg = 20261130;

static void fail(const char *what) {
  fprintf(stderr, "sqlite_workload: %s: %s\n", what, sqlite3_errmsg(db));
  exit(1);
}

static uint32_t next_random(void) {
  lcg = lcg * 6364136223846793005ull + 1442695040888963407ull;
  return (uint32_t)(lcg >> 33);
}

static void mix(const unsigned char *p, int n) {
  for (int i = 0; i < n; i++)
    digest = (digest ^ p[i]) * 0x100000001b3ull;
  digest = (digest ^ 0xff) * 0x100000001b3ull; /* a column separator: "ab","c" is not "a","bc" */
}

static sqlite3_stmt *prepare(const char *sql) {
  sqlite3_stmt *stmt;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
    fail(sql);
  return stmt;
}

static void exec(const char *sql) {
  if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
    fail(sql);
}

/* Runs a query and mixes every column of every row into the digest. */
static void query(const char *sql) {
  sqlite3_stmt *stmt = prepare(sql);
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
    for (int c = 0; c < sqlite3_column_count(stmt); c++)
      mix(sqlite3_column_text(stmt, c), sqlite3_column_bytes(stmt, c));
  if (rc != SQLITE_DONE)
    fail(sql);
  sqlite3_finalize(stmt);
}

static void insert_rows(void) {
  static const char letters[] = "abcdefghijklmnopqrstuvwxyz";
  char text[24];
  exec("BEGIN");
  sqlite3_stmt *customer = prepare("INSERT INTO customer(id, name, city) VALUES (?, ?, ?)");
  for (int id = 1; id <= CUSTOMERS; id++) {
    int n = 4 + next_random() % 12;
    for (int i = 0; i < n; i++)
      text[i] = letters[next_random() % 26];
    sqlite3_bind_int(customer, 1, id);
    sqlite3_bind_text(customer, 2, text, n, SQLITE_TRANSIENT);
    sqlite3_bind_int(customer, 3, (int)(next_random() % CITIES));
    if (sqlite3_step(customer) != SQLITE_DONE)
      fail("insert customer");
    sqlite3_reset(customer);
  }
  sqlite3_finalize(customer);
  exec("COMMIT");
  /* The orders in transactions of 1000 rows, as a program logging events would. */
  sqlite3_stmt *order = prepare("INSERT INTO orders(customer, amount, note) VALUES (?, ?, ?)");
  for (int id = 0; id < ORDERS; id++) {
    if (id % 1000 == 0)
      exec("BEGIN");
    int n = 8 + next_random() % 16;
    for (int i = 0; i < n; i++)
      text[i] = letters[next_random() % 26];
    sqlite3_bind_int(order, 1, 1 + (int)(next_random() % CUSTOMERS));
    sqlite3_bind_int(order, 2, (int)(next_random() % 10000));
    sqlite3_bind_text(order, 3, text, n, SQLITE_TRANSIENT);
    if (sqlite3_step(order) != SQLITE_DONE)
      fail("insert order");
    sqlite3_reset(order);
    if (id % 1000 == 999)
      exec("COMMIT");
  }
  sqlite3_finalize(order);
}

static void round_of_work(void) {
  if (sqlite3_open(":memory:", &db) != SQLITE_OK)
    fail("open");
  exec("CREATE TABLE customer(id INTEGER PRIMARY KEY, name TEXT NOT NULL, city INTEGER NOT NULL)");
  exec("CREATE TABLE orders(id INTEGER PRIMARY KEY, customer INTEGER NOT NULL, amount INTEGER NOT "
       "NULL, note TEXT)");
  insert_rows();
  exec("CREATE INDEX orders_customer ON orders(customer)");
  exec("CREATE INDEX customer_city ON customer(city)");
  query("SELECT city, count(*), sum(amount), min(amount), max(amount), round(avg(amount), 3) "
        "FROM customer JOIN orders ON orders.customer = customer.id GROUP BY city ORDER BY city");
  query("SELECT name, total FROM (SELECT customer, sum(amount) AS total FROM orders GROUP BY "
        "customer) JOIN customer ON customer.id = customer ORDER BY total DESC, name LIMIT 25");
  exec("UPDATE orders SET amount = amount + 1 WHERE amount % 7 = 0");
  exec("DELETE FROM orders WHERE amount % 13 = 0");
  query("SELECT count(*), sum(length(note)) FROM orders WHERE note LIKE '%ab%'");
  query("SELECT c.city, count(DISTINCT o.customer) FROM orders o JOIN customer c ON c.id = "
        "o.customer WHERE o.amount BETWEEN 2000 AND 4000 GROUP BY c.city HAVING count(*) > 10 "
        "ORDER BY 2 DESC, 1");
  query("SELECT upper(substr(name, 1, 3)) AS prefix, count(*) FROM customer GROUP BY prefix "
        "ORDER BY 2 DESC, 1 LIMIT 10");
  if (sqlite3_close(db) != SQLITE_OK)
    fail("close");
}

int main(int argc, char **argv) {
  if (argc != 2 || atoi(argv[1]) <= 0) {
    fprintf(stderr, "usage: %s ROUNDS\n", argv[0]);
    return 2;
  }
  int rounds = atoi(argv[1]);
  for (int r = 0; r < rounds; r++)
    round_of_work();
  printf("sqlite: rounds=%d digest=%016llx\n", rounds, (unsigned long long)digest);
  return 0;
}
