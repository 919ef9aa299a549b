package knowledge

import "fmt"

// parseMarkdown is being written on the parsers branch.
func parseMarkdown(path string, data []byte) (Meta, []Block, error) {
	return Meta{}, nil, fmt.Errorf("%s: markdown not supported yet", path)
}
