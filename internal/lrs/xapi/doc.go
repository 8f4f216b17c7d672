// Package xapi is the pure heart of learnloop's xAPI Learning Record Store: everything the LRS
// does with statements that needs neither a database nor an HTTP server.
//
// It implements xAPI 1.0.3 (ADL) and xAPI 2.0.0 (IEEE 9274.1.1). It
//
//   - negotiates the X-Experience-API-Version header (NegotiateVersion);
//   - parses statement bodies with a strict JSON reader that rejects duplicate properties,
//     invalid UTF-8 and nesting deeper than it can safely follow, then validates every statement
//     against the MUST rules of the version in force (ParseStatements, ParseStatement, ParseAgent);
//   - extracts the keys the store indexes: agent keys of actor, object, members and every related
//     agent, activity ids, verb, registration and the target of a voiding statement (Statement);
//   - compares statements by the spec's Statement Comparison Requirements (Equivalent);
//   - shapes stored statements for the "format" query parameter and Accept-Language (Format,
//     ParseAcceptLanguage);
//   - reads and writes multipart/mixed bodies with attachments (ParseMultipart, WriteMultipart);
//   - verifies signed statements, JWS with RS256/RS384/RS512 (VerifySignature).
//
// Validation failures are *Error values naming the property at fault ("context.contextActivities.
// parent[1].id") and the HTTP status the LRS answers with.
//
// Where the two versions differ the parser follows the version it is given: contextAgents and
// contextGroups exist only in 2.0.0; 1.0.3 timestamps follow ISO 8601 (a missing offset is read as
// UTC) while 2.0.0 timestamps follow RFC 3339 and need an offset; the statement "version" property
// must be 1.0.x under 1.0.3 and may be 1.0.x or 2.0.x under 2.0.0.
package xapi
