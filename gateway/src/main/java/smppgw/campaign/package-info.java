/**
 * Campaigns that learn from reads, as pure rules: personalised templates, the weighted and reproducible draw of a
 * recipient's variant, recipient lists (CSV or JSON lines) read line by line, and the test that names a winning variant.
 */
package smppgw.campaign;
