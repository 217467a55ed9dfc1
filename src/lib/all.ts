// The value of a slice dimension (segment, feature, model, kind) that stands for every row: the
// queries write it into page data and the pages compare against it, so both read this one constant.
export const ALL = "(all)";
