"use client";

import { createContext } from "react";

/**
 * True inside an item a KeptList keeps after the page re-rendered without it: its element, and
 * so its props, are from before (a toggle's `initial` says the film is still on the list). A
 * control there must not take them for the server's value (useOptimisticSave).
 */
export const KeptAfterRemoval = createContext(false);
