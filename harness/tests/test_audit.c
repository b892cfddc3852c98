/* test_audit.c: unit tests of `corsim audit`'s probe list: which hostile
 * origins it derives from the --allow entries, how they are serialized,
 * which ones an --allow wildcard covers, and the usage errors. The
 * probing itself is tested against real servers by t_audit.sh. */
#include <string.h>

#include "../audit.h"
#include "../testing/check.h"

/* The class of `origin` in the list, or -1 when it is not there; -2 when
 * it is there twice. */
static int class_of(const struct audit_origins *o, const char *origin) {
  int found = -1;
  for (size_t i = 0; i < o->count; i++)
    if (strcmp(o->items[i].origin, origin) == 0)
      found = found == -1 ? (int)o->items[i].cls : -2;
  return found;
}

static int build(const char *const *allow, size_t n, const char *const *deny,
                 size_t nd, struct audit_origins *o, char *err, size_t es) {
  err[0] = '\0';
  return audit_origins_build(allow, n, deny, nd, o, err, es);
}

TEST(audit_origins_of_two_allowed_origins) {
  static const char *const allow[] = {"https://myapp.com",
                                      "https://www.myapp.com"};
  struct audit_origins o;
  char err[256];
  ASSERT_EQ_INT(build(allow, 2, NULL, 0, &o, err, sizeof err), 0);
  /* the allowed ones first, in order */
  ASSERT_STR_EQ(o.items[0].origin, "https://myapp.com");
  ASSERT_EQ_INT(o.items[0].cls, AUDIT_LEGIT);
  ASSERT_STR_EQ(o.items[1].origin, "https://www.myapp.com");
  ASSERT_EQ_INT(o.items[1].cls, AUDIT_LEGIT);
  ASSERT_EQ_INT(class_of(&o, "https://evil.example"), AUDIT_ORIGIN_REFLECTED);
  ASSERT_EQ_INT(class_of(&o, "null"), AUDIT_NULL_ORIGIN);
  ASSERT_EQ_INT(class_of(&o, "https://myapp.com.evil.example"),
                AUDIT_PREFIX_LOOKALIKE);
  ASSERT_EQ_INT(class_of(&o, "https://evilmyapp.com"), AUDIT_SUFFIX_LOOKALIKE);
  ASSERT_EQ_INT(class_of(&o, "https://myappxcom"), AUDIT_UNESCAPED_DOT);
  ASSERT_EQ_INT(class_of(&o, "https://wwwxmyapp.com"), AUDIT_UNESCAPED_DOT);
  ASSERT_EQ_INT(class_of(&o, "https://www.myappxcom"), AUDIT_UNESCAPED_DOT);
  ASSERT_EQ_INT(class_of(&o, "https://evil.myapp.com"), AUDIT_ANY_SUBDOMAIN);
  ASSERT_EQ_INT(class_of(&o, "http://myapp.com"), AUDIT_HTTP_DOWNGRADE);
  ASSERT_EQ_INT(class_of(&o, "https://myapp.com_.evil.example"),
                AUDIT_SPECIAL_CHARACTERS);
  /* %60 is sent as the browser serializes it: a backtick */
  ASSERT_EQ_INT(class_of(&o, "https://myapp.com`.evil.example"),
                AUDIT_SPECIAL_CHARACTERS);
  ASSERT_EQ_INT(class_of(&o, "https://myapp.com%60.evil.example"), -1);
  ASSERT_EQ_INT(class_of(&o, "https://evil.github.io"), AUDIT_THIRD_PARTY);
  /* the parent of www is an allowed origin: kept once, as allowed */
  ASSERT_EQ_INT(class_of(&o, "https://myapp.com"), AUDIT_LEGIT);
  ASSERT_STR_EQ(o.items[0].derived_from,
                "https://myapp.com");
  audit_origins_release(&o);
}

TEST(audit_origins_of_a_wildcard) {
  static const char *const allow[] = {"https://*.myapp.com"};
  struct audit_origins o;
  char err[256];
  ASSERT_EQ_INT(build(allow, 1, NULL, 0, &o, err, sizeof err), 0);
  ASSERT_STR_EQ(o.items[0].origin, "https://app.myapp.com");
  ASSERT_EQ_INT(o.items[0].cls, AUDIT_LEGIT);
  /* every subdomain is allowed: those are no hostile probes */
  ASSERT_EQ_INT(class_of(&o, "https://evil.myapp.com"), -1);
  ASSERT_EQ_INT(class_of(&o, "https://evilapp.myapp.com"), -1);
  ASSERT_EQ_INT(class_of(&o, "https://evil.app.myapp.com"), -1);
  /* the apex is no subdomain, and not probed as a parent either */
  ASSERT_EQ_INT(class_of(&o, "https://myapp.com"), -1);
  ASSERT_EQ_INT(class_of(&o, "https://app.myapp.com.evil.example"),
                AUDIT_PREFIX_LOOKALIKE);
  ASSERT_EQ_INT(class_of(&o, "https://appxmyapp.com"), AUDIT_UNESCAPED_DOT);
  ASSERT_EQ_INT(class_of(&o, "http://app.myapp.com"), AUDIT_HTTP_DOWNGRADE);
  audit_origins_release(&o);
}

TEST(audit_origins_with_ports_and_addresses) {
  static const char *const allow[] = {"http://127.0.0.1:3000",
                                      "http://localhost:5173"};
  struct audit_origins o;
  char err[256];
  ASSERT_EQ_INT(build(allow, 2, NULL, 0, &o, err, sizeof err), 0);
  ASSERT_EQ_INT(class_of(&o, "http://127.0.0.1.evil.example:3000"),
                AUDIT_PREFIX_LOOKALIKE);
  /* no dot of an address can be replaced, no address has a subdomain */
  ASSERT_EQ_INT(class_of(&o, "http://127x0.0.1:3000"), -1);
  ASSERT_EQ_INT(class_of(&o, "http://evil.127.0.0.1:3000"), -1);
  ASSERT_EQ_INT(class_of(&o, "http://localhost.evil.example:5173"),
                AUDIT_PREFIX_LOOKALIKE);
  ASSERT_EQ_INT(class_of(&o, "http://evillocalhost:5173"),
                AUDIT_SUFFIX_LOOKALIKE);
  ASSERT_EQ_INT(class_of(&o, "http://evil.localhost:5173"),
                AUDIT_ANY_SUBDOMAIN);
  /* http already: no downgrade */
  for (size_t i = 0; i < o.count; i++)
    ASSERT_FALSE(o.items[i].cls == AUDIT_HTTP_DOWNGRADE);
  audit_origins_release(&o);
}

TEST(audit_origins_parent_and_deny) {
  static const char *const allow[] = {"https://admin.myapp.com"};
  static const char *const deny[] = {"https://www.myapp.com"};
  struct audit_origins o;
  char err[256];
  ASSERT_EQ_INT(build(allow, 1, deny, 1, &o, err, sizeof err), 0);
  ASSERT_EQ_INT(class_of(&o, "https://www.myapp.com"), AUDIT_DENIED_ORIGIN);
  ASSERT_EQ_INT(class_of(&o, "https://myapp.com"), AUDIT_PARENT_DOMAIN);
  ASSERT_EQ_INT(class_of(&o, "https://evil.admin.myapp.com"),
                AUDIT_ANY_SUBDOMAIN);
  audit_origins_release(&o);
}

TEST(audit_origins_usage_errors) {
  struct audit_origins o;
  char err[256];
  static const char *const path[] = {"https://myapp.com/"};
  ASSERT_EQ_INT(build(path, 1, NULL, 0, &o, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "invalid --allow 'https://myapp.com/': an origin has no "
                     "path; did you mean 'https://myapp.com'?");
  static const char *const bare[] = {"myapp.com"};
  ASSERT_EQ_INT(build(bare, 1, NULL, 0, &o, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "invalid --allow 'myapp.com': not an origin "
                     "(scheme://host[:port], or null)");
  static const char *const ftp[] = {"ftp://myapp.com"};
  ASSERT_EQ_INT(build(ftp, 1, NULL, 0, &o, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "invalid --allow 'ftp://myapp.com': not an http or https "
                     "origin (scheme://host[:port])");
  static const char *const allow[] = {"https://*.myapp.com"};
  static const char *const sub[] = {"https://api.myapp.com"};
  ASSERT_EQ_INT(build(allow, 1, sub, 1, &o, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "--deny 'https://api.myapp.com' is also allowed by "
                     "--allow 'https://*.myapp.com'");
  ASSERT_EQ_INT(build(sub, 1, allow, 1, &o, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "invalid --deny 'https://*.myapp.com': a wildcard names "
                     "no single origin");
}

TEST(audit_allow_covers_origins) {
  ASSERT_TRUE(audit_allow_covers("https://myapp.com", "https://myapp.com"));
  /* an --allow entry is serialized first: case and default port */
  ASSERT_TRUE(audit_allow_covers("https://MyApp.com:443", "https://myapp.com"));
  ASSERT_FALSE(audit_allow_covers("https://myapp.com", "http://myapp.com"));
  ASSERT_TRUE(audit_allow_covers("https://*.myapp.com", "https://a.myapp.com"));
  ASSERT_TRUE(audit_allow_covers("https://*.myapp.com", "https://a.b.myapp.com"));
  ASSERT_FALSE(audit_allow_covers("https://*.myapp.com", "https://myapp.com"));
  ASSERT_FALSE(audit_allow_covers("https://*.myapp.com", "https://evilmyapp.com"));
  ASSERT_FALSE(audit_allow_covers("https://*.myapp.com", "http://a.myapp.com"));
  ASSERT_FALSE(audit_allow_covers("https://*.myapp.com",
                                  "https://a.myapp.com:8443"));
  ASSERT_FALSE(audit_allow_covers("https://*.myapp.com",
                                  "https://a.myapp.com.evil.example"));
  ASSERT_FALSE(audit_allow_covers("https://*.myapp.com",
                                  "https://a_.myapp.com"));
  ASSERT_TRUE(audit_allow_covers("null", "null"));
  ASSERT_FALSE(audit_allow_covers("https://myapp.com", "null"));
}

TEST(audit_null_allowed) {
  static const char *const allow[] = {"null", "https://myapp.com"};
  struct audit_origins o;
  char err[256];
  ASSERT_EQ_INT(build(allow, 2, NULL, 0, &o, err, sizeof err), 0);
  ASSERT_EQ_INT(class_of(&o, "null"), AUDIT_LEGIT);
  audit_origins_release(&o);
}

TEST(audit_class_names) {
  ASSERT_STR_EQ(audit_class_name(AUDIT_ORIGIN_REFLECTED), "origin-reflected");
  ASSERT_STR_EQ(audit_class_name(AUDIT_LINT_MISSING_VARY),
                "lint-missing-vary-origin");
  ASSERT_NULL(audit_class_name(AUDIT_CLASS_COUNT));
  for (int a = 0; a < AUDIT_CLASS_COUNT; a++)
    for (int b = a + 1; b < AUDIT_CLASS_COUNT; b++)
      ASSERT_FALSE(strcmp(audit_class_name((enum audit_class)a),
                          audit_class_name((enum audit_class)b)) == 0);
}
