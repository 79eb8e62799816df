declare const regionNames: string;
export default regionNames;
