import type { Metadata } from "next";
import localFont from "next/font/local";
import Link from "next/link";
import { Suspense } from "react";
import { UserMenu, UserMenuSkeleton } from "@/components/auth/user-menu";
import { SiteNav } from "@/components/home/site-nav";
import { SiteFooter } from "@/components/site-footer";
import "./globals.css";

const inter = localFont({
  src: [
    { path: "../node_modules/@fontsource/inter/files/inter-latin-400-normal.woff2", weight: "400" },
    { path: "../node_modules/@fontsource/inter/files/inter-latin-600-normal.woff2", weight: "600" },
    { path: "../node_modules/@fontsource/inter/files/inter-latin-800-normal.woff2", weight: "800" },
  ],
  variable: "--font-inter",
  display: "swap",
});

export const metadata: Metadata = {
  title: { default: "Matinee", template: "%s · Matinee" },
  description: "Movie recommendations, made for you.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" className={inter.variable}>
      <body className="flex min-h-screen flex-col font-sans">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:z-50 focus:rounded focus:bg-accent focus:px-3 focus:py-2 focus:text-black">
          Skip to content
        </a>
        <header className="sticky top-0 z-40 border-b border-white/5 bg-ink-950/85 backdrop-blur">
          <nav aria-label="Main" className="mx-auto flex max-w-screen-2xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
            <Link href="/" className="text-xl font-extrabold tracking-tight">
              <span aria-hidden className="text-accent">▶</span> Matinee
            </Link>
            {/* From a tablet up the page links stand between the logo and the account menu. */}
            <div className="hidden md:block">
              <SiteNav />
            </div>
            <div className="ml-auto">
              <Suspense fallback={<UserMenuSkeleton />}>
                <UserMenu />
              </Suspense>
            </div>
            {/* On a phone they take their own row under the logo and account menu, and come after
                the account menu for the keyboard too, as on screen (QA: focus reached them first). */}
            <div className="-mx-2 w-full md:hidden">
              <SiteNav />
            </div>
          </nav>
        </header>
        <main id="main" className="mx-auto w-full max-w-screen-2xl flex-1 px-4 py-6 sm:px-6">
          {children}
        </main>
        <SiteFooter />
      </body>
    </html>
  );
}
