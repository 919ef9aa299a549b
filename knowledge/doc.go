// Package knowledge turns career pages into what careersbot answers from.
//
// A page (.txt saved from a browser, .md, or .html) is parsed into
// format-neutral blocks: headings, paragraphs, bullets and "Find out more"
// lines, with the page's title, URL and breadcrumb; a text page copied
// without its mark-up keeps its lost headings and unbulleted lists
// (short lines after one ending with a colon). Blocks become a
// Document of Sections (one per heading, with its heading path), each
// holding Sentences. Topics are derived from the pages themselves: the
// title ("Careers in healthcare science" -> healthcare science), headings
// that name something (not aspects such as "Where will I work?"), the items
// of a list a sentence introduces, "Name - definition" lines, and the
// breadcrumb's parent, each with its parent topic and the sentences of its
// page that name it. Topics belong to their page: the same name on two
// pages is two topics. Nothing about a particular page is built in.
//
// Default returns the embedded NHS page (the Markdown copy in seed-linked,
// which carries its links); Load and LoadFS read others, parsing files on
// every core and collecting them in order; Check reports every problem with
// its file and line. A Base is immutable once built, so readers need no
// locks; reloading builds a new one.
package knowledge
