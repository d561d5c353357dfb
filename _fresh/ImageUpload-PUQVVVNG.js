import{a}from"./chunk-HKXLCA3I.js";import"./chunk-PS7YG7EM.js";import"./chunk-GJM3XLVX.js";import"./chunk-Y2RR6JTD.js";export{a as default};
