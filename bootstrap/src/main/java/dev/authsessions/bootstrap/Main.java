package dev.authsessions.bootstrap; public class Main { public static void main(String[] a){} }
