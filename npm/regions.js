// GB/T 2260 region names for shiming (generated from data/gb2260.tsv by build.rs; see its provenance header).
// One name per code, in code order. Install with setRegionNames(), or let the entry do it.
export default "@REGION_NAMES@";
